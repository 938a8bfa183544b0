import { Spin } from 'antd';
import type { ReactNode } from 'react';
import { Navigate, Route, Routes as RouterRoutes, useLocation } from 'react-router';
import { Layout } from './components/Layout';
import { useI18n } from './i18n';
import { AccountPage } from './pages/AccountPage';
import { AdminPage } from './pages/admin/AdminPage';
import { AgreementsPage } from './pages/AgreementsPage';
import { DataViewsPage } from './pages/DataViewsPage';
import { ApplyPage } from './pages/ApplyPage';
import { CasePage } from './pages/CasePage';
import { CertificateApplyPage } from './pages/CertificateApplyPage';
import { HomeReportPage } from './pages/HomeReportPage';
import { LoginPage } from './pages/LoginPage';
import { NoticePage } from './pages/NoticePage';
import { DestructionRecordPage, OldCardsPage } from './pages/OldCardsPage';
import { PersonPage } from './pages/PersonPage';
import { PortalHome } from './pages/portal/PortalHome';
import { PortalLogin } from './pages/portal/PortalLogin';
import { SamplingPage } from './pages/SamplingPage';
import { SearchPage } from './pages/SearchPage';
import { VisitBatchPage, VisitListPrint, VisitsPage } from './pages/VisitsPage';
import { WorklistPage } from './pages/WorklistPage';
import { useMe } from './session';

/** Staff pages need a staff session, portal pages an applicant session; others are sent to their login. */
function Guard({ kind, children }: { kind: 'staff' | 'applicant'; children: ReactNode }) {
  const me = useMe();
  const { t } = useI18n();
  const location = useLocation();
  if (me.isLoading) return <Spin aria-label={t('common.loading')} style={{ display: 'block', margin: 48 }} />;
  if (!me.data || me.data.kind !== kind) {
    return <Navigate to={kind === 'staff' ? '/login' : '/portal/login'} replace state={{ from: location.pathname }} />;
  }
  // SEC-3: a staff member the policy requires to use an authenticator app enrols it before anything else
  if (me.data.kind === 'staff' && me.data.enrolmentOnly && location.pathname !== '/account') return <Navigate to="/account" replace />;
  return <>{children}</>;
}

export function Routes() {
  const staff = (page: ReactNode) => <Guard kind="staff"><Layout kind="staff">{page}</Layout></Guard>;
  const portal = (page: ReactNode) => <Guard kind="applicant"><Layout kind="applicant">{page}</Layout></Guard>;
  return (
    <RouterRoutes>
      <Route path="/login" element={<Layout kind="public"><LoginPage /></Layout>} />
      <Route path="/" element={staff(<WorklistPage />)} />
      <Route path="/apply" element={staff(<ApplyPage mode="staff" />)} />
      <Route path="/apply-certificate" element={staff(<CertificateApplyPage mode="staff" />)} />
      <Route path="/cases/:id" element={staff(<CasePage />)} />
      <Route path="/cases/:id/notice" element={staff(<NoticePage />)} />
      <Route path="/persons" element={staff(<SearchPage />)} />
      <Route path="/visits" element={staff(<VisitsPage />)} />
      <Route path="/visits/:id" element={staff(<VisitBatchPage />)} />
      <Route path="/visits/:id/print" element={staff(<VisitListPrint />)} />
      <Route path="/persons/:id" element={staff(<PersonPage />)} />
      <Route path="/home-report" element={staff(<HomeReportPage />)} />
      <Route path="/sampling" element={staff(<SamplingPage />)} />
      <Route path="/old-cards" element={staff(<OldCardsPage />)} />
      <Route path="/old-cards/destructions/:id" element={staff(<DestructionRecordPage />)} />
      <Route path="/admin/*" element={staff(<AdminPage />)} />
      <Route path="/account" element={staff(<AccountPage />)} />
      <Route path="/data-views" element={staff(<DataViewsPage />)} />
      <Route path="/agreements" element={staff(<AgreementsPage />)} />
      <Route path="/portal/login" element={<Layout kind="public"><PortalLogin /></Layout>} />
      <Route path="/portal" element={portal(<PortalHome />)} />
      <Route path="/portal/apply" element={portal(<ApplyPage mode="applicant" />)} />
      <Route path="/portal/apply-certificate" element={portal(<CertificateApplyPage mode="applicant" />)} />
      <Route path="/portal/cases/:id" element={portal(<CasePage />)} />
      <Route path="*" element={<Navigate to="/" replace />} />
    </RouterRoutes>
  );
}
