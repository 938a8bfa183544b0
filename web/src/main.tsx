import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, useLocation } from 'react-router';
import { ErrorBoundary } from './components/ErrorBoundary';
import { CareProvider, careTokens, useCare } from './care';
import { Routes } from './routes';
import { I18nProvider, useI18n } from './i18n';
import './styles.css';

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } });

// Colours chosen for WCAG AA contrast on white (antd's default blue #1677ff is 4.1:1; #0958d9 is 5.9:1).
// Secondary and placeholder text darkened from antd's translucent greys, which fall below 4.5:1.
const theme = {
  token: {
    colorPrimary: '#0958d9', colorLink: '#0958d9',
    // hovered links and buttons darken instead of antd's lighter tint (#579df2 is 2.8:1): a pointer resting on a link keeps it readable
    colorLinkHover: '#003eb3', colorLinkActive: '#002c8c', colorPrimaryHover: '#003eb3', colorPrimaryActive: '#002c8c', colorError: '#c41d1d', colorWarning: '#ad4e00', colorSuccess: '#237804',
    colorTextDescription: '#595959', colorTextTertiary: '#595959', colorTextPlaceholder: '#6e6e6e', colorTextQuaternary: '#6e6e6e',
    fontSize: 16, borderRadius: 6,
    // no sliding or fading: messages appear at once, and nobody with vestibular trouble is bothered
    motion: false,
  },
};

function Themed() {
  const { lang, t } = useI18n();
  const location = useLocation();
  // issue 15: form checks in plain words from the catalogues; antd fills in ${label}, ${min} … itself
  const v = { label: '${label}', min: '${min}', max: '${max}', len: '${len}' };
  const validateMessages = {
    default: t('form.type', v),
    required: t('form.required', v),
    whitespace: t('form.required', v),
    types: { string: t('form.type', v), number: t('form.type', v), email: t('form.type', v), url: t('form.type', v), date: t('form.type', v), integer: t('form.type', v) },
    string: { min: t('form.min', v), max: t('form.max', v), len: t('form.len', v), range: t('form.range', v) },
    number: { min: t('form.numMin', v), max: t('form.numMax', v), len: t('form.type', v), range: t('form.type', v) },
    array: { min: t('form.arrayMin', v), max: t('form.type', v), len: t('form.type', v), range: t('form.type', v) },
    pattern: { mismatch: t('form.pattern', v) },
  };
  const { care } = useCare();
  // month and day names of the date pickers follow the interface language, not the browser's
  dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
  const portal = location.pathname.startsWith('/portal');
  // ACC-1 care mode: larger type and targets, high contrast (see care.tsx for the numbers and their sources)
  const themed = care ? { ...theme, token: { ...theme.token, ...careTokens(portal) } } : theme;
  return (
    // button autoInsertSpace off: two-character buttons read 提交, not "提 交" (screen readers spell the gap)
    <ConfigProvider locale={lang === 'zh' ? zhCN : enUS} theme={themed} button={{ autoInsertSpace: false }} form={{ validateMessages }}>
      <AntApp>
        {/* a page that fails to render shows a bilingual message, never a blank screen; a new address starts afresh */}
        <ErrorBoundary key={location.pathname} home={location.pathname.startsWith('/portal') ? '/portal' : '/'}>
          <Routes />
        </ErrorBoundary>
      </AntApp>
    </ConfigProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <CareProvider>
          <BrowserRouter>
            <Themed />
          </BrowserRouter>
        </CareProvider>
      </I18nProvider>
    </QueryClientProvider>
  </StrictMode>,
);
