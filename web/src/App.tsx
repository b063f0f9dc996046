/** The frame of every page: skip link, header (language, login), navigation, main, footer. */
import { Suspense, useEffect, useState } from 'react';
import { Loading } from './components/ErrorBox.js';
import { api } from './api.js';
import { AssistantLauncher } from './assistant/Launcher.js';
import { useLang, useT } from './i18n/index.js';
import { Link, matchPath, useRouter } from './router.js';
import { notFoundPage, routes } from './routes.js';
import { useSession } from './session.js';
import type { Health } from './types.js';

/** Officials (the workspace is theirs); the list mirrors STAFF_ROLES of src/identity/actor.ts. */
const isStaffRole = (role: string) => ['desk_officer', 'specialist', 'unit_leader', 'province_leader', 'admin'].includes(role);
/** Leaders (the dashboard is theirs); mirrors MONITORING_ROLES of src/monitoring/scope.ts. */
const isLeaderRole = (role: string) => ['unit_leader', 'province_leader', 'admin'].includes(role);

function Header() {
  const t = useT();
  const { lang, setLang } = useLang();
  const { location, navigate } = useRouter();
  const { user, logout } = useSession();
  const returnTo = `${location.pathname}${location.search}`;
  const other = lang === 'vi' ? 'en' : 'vi';

  const onLogout = async () => {
    try {
      await logout();
    } finally {
      navigate('/');
    }
  };

  return (
    <header className="site-header">
      <div className="header-inner">
        <Link to="/" className="brand">
          <img src="/favicon.svg" alt="" width={40} height={40} className="brand-mark" />
          <span className="brand-text">
            <span className="brand-name">{t('app.name')}</span>
            <span className="brand-sub">
              {t('app.brand')} · {t('app.tagline')}
            </span>
          </span>
        </Link>
        <div className="header-tools">
          <button type="button" className="button-link lang-switch" lang={other} onClick={() => setLang(other)}>
            {t('lang.switch')}
          </button>
          {user ? (
            <div className="account">
              <span className="account-name">{t('auth.greeting', { name: user.fullName })}</span>
              <button type="button" className="button button-light" onClick={() => void onLogout()}>
                {t('auth.logout')}
              </button>
            </div>
          ) : user === null ? (
            <a className="button button-light" href={`/api/auth/oidc/login?returnTo=${encodeURIComponent(returnTo)}`}>
              {t('auth.login')}
            </a>
          ) : null}
        </div>
      </div>
      <nav className="site-nav" aria-label={t('nav.label')}>
        <ul>
          <NavItem to="/" label={t('nav.home')} current={location.pathname === '/'} />
          <NavItem to="/tim-kiem" label={t('nav.search')} current={location.pathname === '/tim-kiem' || location.pathname.startsWith('/thu-tuc/')} />
          <NavItem to="/tra-cuu" label={t('nav.lookup')} current={location.pathname === '/tra-cuu'} />
          {user && !isStaffRole(user.role) && <NavItem to="/ho-so-cua-toi" label={t('nav.myDossiers')} current={location.pathname === '/ho-so-cua-toi' || location.pathname.startsWith('/ho-so/')} />}
          {user && isStaffRole(user.role) && <NavItem to="/can-bo" label={t('ws.nav.desk')} current={location.pathname.startsWith('/can-bo') && location.pathname !== '/can-bo/dang-nhap'} />}
          {user && isLeaderRole(user.role) && <NavItem to="/lanh-dao" label={t('dash.nav.dashboard')} current={location.pathname.startsWith('/lanh-dao')} />}
          {user && user.role === 'admin' && <NavItem to="/quan-tri/chi-tieu" label={t('adm.nav.settings')} current={location.pathname === '/quan-tri/chi-tieu'} />}
        </ul>
      </nav>
    </header>
  );
}

function NavItem({ to, label, current }: { to: string; label: string; current: boolean }) {
  return (
    <li>
      <Link to={to} aria-current={current ? 'page' : undefined}>
        {label}
      </Link>
    </li>
  );
}

function Footer() {
  const t = useT();
  const [demo, setDemo] = useState(false);
  useEffect(() => {
    api
      .get<Health>('/api/health')
      .then((h) => setDemo(h.demo === true))
      .catch(() => setDemo(false));
  }, []);
  return (
    <footer className="site-footer">
      <div className="footer-inner">
        {demo && <p className="demo-note">{t('footer.demo')}</p>}
        <p>{t('footer.about')}</p>
        <p>
          <a href="/api/docs">{t('footer.api')}</a>
          {' · '}
          <Link to="/can-bo/dang-nhap">{t('ws.footer.staffLogin')}</Link>
        </p>
      </div>
    </footer>
  );
}

function CurrentPage() {
  const { location } = useRouter();
  for (const r of routes) {
    const params = matchPath(r.path, location.pathname);
    if (params) {
      const Page = r.page;
      return <Page params={params} />;
    }
  }
  const NotFound = notFoundPage;
  return <NotFound params={{}} />;
}

export function App() {
  const t = useT();
  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <Header />
      <main id="main" className="site-main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <CurrentPage />
        </Suspense>
      </main>
      <Footer />
      {/* The virtual assistant (issue 6): a button on every page; its panel loads on first open. */}
      <AssistantLauncher />
    </>
  );
}
