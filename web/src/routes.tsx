import { Spin } from 'antd';
import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { Navigate, Route, Routes as RouterRoutes, useLocation } from 'react-router';
import { Layout } from './components/Layout';
import { useI18n } from './i18n';

/**
 * Each page is its own chunk, loaded when its route is first shown (issue 13 item 5): the login and
 * portal pages on a phone fetch only what they need, not every staff page. Only the import is lazy;
 * the pages themselves are unchanged.
 */
const lazyNamed = <K extends string>(load: () => Promise<Record<K, ComponentType<any>>>, name: K) =>
  lazy(() => load().then((m) => ({ default: m[name] })));
const AccountPage = lazyNamed(() => import('./pages/AccountPage'), 'AccountPage');
const AdminPage = lazyNamed(() => import('./pages/admin/AdminPage'), 'AdminPage');
const AgreementsPage = lazyNamed(() => import('./pages/AgreementsPage'), 'AgreementsPage');
const DataViewsPage = lazyNamed(() => import('./pages/DataViewsPage'), 'DataViewsPage');
const ApplyPage = lazyNamed(() => import('./pages/ApplyPage'), 'ApplyPage');
const CasePage = lazyNamed(() => import('./pages/CasePage'), 'CasePage');
const CertificateApplyPage = lazyNamed(() => import('./pages/CertificateApplyPage'), 'CertificateApplyPage');
const HomeReportPage = lazyNamed(() => import('./pages/HomeReportPage'), 'HomeReportPage');
const LoginPage = lazyNamed(() => import('./pages/LoginPage'), 'LoginPage');
const NoticePage = lazyNamed(() => import('./pages/NoticePage'), 'NoticePage');
const OldCardsPage = lazyNamed(() => import('./pages/OldCardsPage'), 'OldCardsPage');
const DestructionRecordPage = lazyNamed(() => import('./pages/OldCardsPage'), 'DestructionRecordPage');
const PersonPage = lazyNamed(() => import('./pages/PersonPage'), 'PersonPage');
const PortalHome = lazyNamed(() => import('./pages/portal/PortalHome'), 'PortalHome');
const PortalLogin = lazyNamed(() => import('./pages/portal/PortalLogin'), 'PortalLogin');
const SamplingPage = lazyNamed(() => import('./pages/SamplingPage'), 'SamplingPage');
const SearchPage = lazyNamed(() => import('./pages/SearchPage'), 'SearchPage');
const VisitsPage = lazyNamed(() => import('./pages/VisitsPage'), 'VisitsPage');
const VisitBatchPage = lazyNamed(() => import('./pages/VisitsPage'), 'VisitBatchPage');
const VisitListPrint = lazyNamed(() => import('./pages/VisitsPage'), 'VisitListPrint');
const WorklistPage = lazyNamed(() => import('./pages/WorklistPage'), 'WorklistPage');
import { useMe } from './session';

/** Shown while a page's chunk loads: a named busy region that screen readers announce. */
function Loading() {
  const { t } = useI18n();
  return (
    <div role="status" aria-live="polite" aria-busy="true">
      <Spin aria-label={t('common.loading')} style={{ display: 'block', margin: 48 }} />
    </div>
  );
}

/** A lazy page inside its layout: the layout (header, menu) stays while the page's code arrives. */
const lazyPage = (page: ReactNode) => <Suspense fallback={<Loading />}>{page}</Suspense>;

/** Staff pages need a staff session, portal pages an applicant session; others are sent to their login. */
function Guard({ kind, children }: { kind: 'staff' | 'applicant'; children: ReactNode }) {
  const me = useMe();
  const { t } = useI18n();
  const location = useLocation();
  if (me.isLoading) return <Loading />;
  if (!me.data || me.data.kind !== kind) {
    return <Navigate to={kind === 'staff' ? '/login' : '/portal/login'} replace state={{ from: location.pathname }} />;
  }
  // SEC-3: a staff member the policy requires to use an authenticator app enrols it before anything else
  if (me.data.kind === 'staff' && me.data.enrolmentOnly && location.pathname !== '/account') return <Navigate to="/account" replace />;
  return <>{children}</>;
}

export function Routes() {
  const staff = (page: ReactNode) => <Guard kind="staff"><Layout kind="staff">{lazyPage(page)}</Layout></Guard>;
  const portal = (page: ReactNode) => <Guard kind="applicant"><Layout kind="applicant">{lazyPage(page)}</Layout></Guard>;
  return (
    <RouterRoutes>
      <Route path="/login" element={<Layout kind="public">{lazyPage(<LoginPage />)}</Layout>} />
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
      <Route path="/portal/login" element={<Layout kind="public">{lazyPage(<PortalLogin />)}</Layout>} />
      <Route path="/portal" element={portal(<PortalHome />)} />
      <Route path="/portal/apply" element={portal(<ApplyPage mode="applicant" />)} />
      <Route path="/portal/apply-certificate" element={portal(<CertificateApplyPage mode="applicant" />)} />
      <Route path="/portal/cases/:id" element={portal(<CasePage />)} />
      <Route path="*" element={<Navigate to="/" replace />} />
    </RouterRoutes>
  );
}
