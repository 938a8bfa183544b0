/** Page frame: skip link, banner with the main navigation and language switch, one <main> landmark. */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, type ReactNode } from 'react';
import { useCare } from '../care';
import { ErrorBoundary } from './ErrorBoundary';
import { NavLink, useNavigate } from 'react-router';
import { useI18n } from '../i18n';
import { hasRole, isCountyDesk, useLogout, useMe } from '../session';

export function Layout({ kind, children }: { kind: 'staff' | 'applicant' | 'public'; children: ReactNode }) {
  const { t, lang, setLang } = useI18n();
  const me = useMe();
  const logout = useLogout();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { care, setCare } = useCare();
  usePageTitle(kind === 'applicant' || location.pathname.startsWith('/portal') ? t('portal.title') : t('app.name'));
  const doLogout = async () => {
    await logout();
    await qc.invalidateQueries({ queryKey: ['me'] });
    navigate(kind === 'applicant' ? '/portal/login' : '/login');
  };
  const links: [string, string][] =
    kind === 'staff'
      ? [
          ['/', t('nav.worklist')],
          ...(hasRole(me.data, 'clerk', 'reviewer', 'village_worker', 'township_worker') ? [['/apply', t('nav.apply')] as [string, string]] : []),
          ...(hasRole(me.data, 'clerk', 'reviewer') ? [['/apply-certificate', t('nav.certApply')] as [string, string]] : []),
          ...(hasRole(me.data, 'clerk', 'reviewer', 'doctor', 'township_worker') ? [['/visits', t('nav.visits')] as [string, string]] : []),
          ['/persons', t('nav.search')],
          // HOME-5: county desks submit the monthly home-assessment report, supervisors follow it
          ...(hasRole(me.data, 'supervisor') || (me.data?.kind === 'staff' && me.data.grants.some((g) => ['clerk', 'reviewer', 'approver'].includes(g.role) && g.orgKind === 'federation' && g.divisionCode.length === 6))
            ? [['/home-report', t('nav.homeReport')] as [string, string]]
            : []),
          ...(hasRole(me.data, 'supervisor', 'auditor') ? [['/sampling', t('nav.sampling')] as [string, string]] : []),
          ...(isCountyDesk(me.data) ? [['/old-cards', t('nav.oldCards')] as [string, string]] : []),
          ...(hasRole(me.data, 'supervisor', 'auditor') ? [['/data-views', t('nav.dataViews')] as [string, string]] : []),
          ...(hasRole(me.data, 'supervisor', 'admin', 'auditor') ? [['/agreements', t('nav.agreements')] as [string, string]] : []),
          ...(hasRole(me.data, 'admin') ? [['/admin', t('nav.admin')] as [string, string]] : []),
          ['/account', t('nav.account')],
        ]
      : kind === 'applicant'
        ? [['/portal', t('portal.myCases')], ['/portal/apply', t('portal.newApplication')], ['/portal/apply-certificate', t('nav.certApply')]]
        : [];
  const portal = kind === 'applicant' || location.pathname.startsWith('/portal');
  return (
    <div className={portal ? 'portal-frame' : 'staff-frame'}>
      <a className="skip-link" href="#main">{t('app.skip')}</a>
      <header className="app-header">
        <a className="brand" href={kind === 'applicant' ? '/portal' : '/'}>{kind === 'applicant' || location.pathname.startsWith('/portal') ? t('portal.title') : t('app.name')}</a>
        {links.length > 0 && (
          <nav aria-label={t('nav.main')}>
            <ul>
              {links.map(([to, label]) => (
                <li key={to}><NavLink to={to} end={to === '/' || to === '/portal'}>{label}</NavLink></li>
              ))}
            </ul>
          </nav>
        )}
        {me.data?.kind === 'staff' && kind === 'staff' && <span>{me.data.displayName}</span>}
        <button type="button" className="linklike" lang={lang === 'zh' ? 'en' : 'zh-CN'} aria-label={`${t('app.lang')} — ${t('app.langLabel')}`} onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
          {t('app.lang')}
        </button>
        {/* ACC-1: care mode, one step from every page */}
        <button type="button" className="linklike care-toggle" aria-pressed={care} onClick={() => setCare(!care)}>
          {t('care.toggle')}
        </button>
        {kind !== 'public' && <button type="button" className="linklike" onClick={doLogout}>{t('nav.logout')}</button>}
      </header>
      <main id="main" className="app-main" tabIndex={-1}>
        <ErrorBoundary key={location.pathname} inMain home={portal ? '/portal' : '/'}>{children}</ErrorBoundary>
      </main>
    </div>
  );
}

/**
 * WCAG 2.4.2: every page has its own title — the page's heading and the site, e.g.
 * "案件 XB-2026-000123 - 残疾人证网上办理". Read from the page's h1, which may arrive after loading.
 */
function usePageTitle(site: string) {
  useEffect(() => {
    const main = document.getElementById('main');
    const update = () => {
      const h1 = main?.querySelector('h1')?.textContent?.trim();
      const title = h1 ? `${h1} - ${site}` : site;
      if (document.title !== title) document.title = title;
    };
    update();
    if (!main) return;
    const observer = new MutationObserver(update);
    observer.observe(main, { childList: true, subtree: true, characterData: true });
    return () => observer.disconnect();
  }, [site]);
}
