import { useCallback, useEffect, useState } from 'react';
import { call, client, type Me } from './api';
import { LanguageToggle, type TextKey, useT } from './i18n';
import { NotificationBell } from './notification-bell';
import { AccountPage } from './pages/account';
import { AnalyticsPage } from './pages/analytics';
import { AssetPage } from './pages/asset-page';
import { CollectionPage } from './pages/collection-page';
import { CollectionsPage } from './pages/collections';
import { Inbox } from './pages/inbox';
import { Library } from './pages/library';
import { ProjectsPage } from './pages/projects';
import { SignIn } from './pages/sign-in';
import { TracePage } from './pages/trace';
import { TrashPage } from './pages/trash';
import { UsersAdmin } from './pages/users-admin';
import { RuleEditor } from './rule-editor/rule-editor';

/** `#/library`, `#/assets/<id>`, `#/collections`, `#/collections/<id>`, `#/inbox`, `#/rules`, `#/trash`, `#/projects`, `#/analytics`, `#/trace`, `#/account`, `#/users`: the page from the location hash. */
const readRoute = () => (window.location.hash.replace(/^#\/?/, '') || 'library').split('/');

function useRoute(): string[] {
  const [route, setRoute] = useState(readRoute);
  useEffect(() => {
    const onChange = () => setRoute(readRoute());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export function App() {
  const t = useT();
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const route = useRoute();
  const refresh = useCallback(() => {
    call(client.GET('/api/auth/me'))
      .then((r) => setMe(r.user))
      .catch(() => setMe(null));
  }, []);
  useEffect(refresh, [refresh]);

  if (me === undefined) return null;
  if (me === null) return <SignIn onSignedIn={refresh} />;

  const [page, param] = route;
  const isAdmin = me.roles.includes('admin');
  // Administrators hold every role's rights (policy/policy.ts).
  const isAnalyst = isAdmin || me.roles.includes('analyst');
  const isInvestigator = isAdmin || me.roles.includes('investigator');
  // The menu: route, its name, whether this person has the page.
  const menu: Array<[string, TextKey, boolean]> = [
    ['library', 'library', true],
    ['collections', 'collections', true],
    ['inbox', 'inbox', true],
    ['rules', 'rules', true],
    ['trash', 'trash', true],
    ['projects', 'projects', true],
    ['analytics', 'analytics', isAnalyst],
    ['trace', 'traceLeak', isInvestigator],
    ['users', 'users', isAdmin],
  ];
  return (
    <div className="shell">
      <header className="top">
        <strong className="brand">{t('appName')}</strong>
        <nav aria-label="main">
          {menu.map(
            ([route, label, shown]) =>
              shown && (
                <a
                  key={route}
                  href={`#/${route}`}
                  aria-current={
                    page === route || (route === 'library' && page === 'assets') ? 'page' : undefined
                  }
                >
                  {t(label)}
                </a>
              ),
          )}
        </nav>
        <span className="spacer" />
        <NotificationBell />
        <LanguageToggle />
        <a className="me" href="#/account" aria-current={page === 'account' ? 'page' : undefined}>
          {me.email}
        </a>
        <button
          type="button"
          onClick={async () => {
            await call(client.POST('/api/auth/logout'));
            setMe(null);
          }}
        >
          {t('signOut')}
        </button>
      </header>
      <main>
        {page === 'assets' && param ? (
          // Keyed by the asset: going from one asset's page to another's starts afresh, never showing
          // the previous asset's panels while the next one loads.
          <AssetPage key={param} id={param} me={me} />
        ) : page === 'collections' && param ? (
          <CollectionPage key={param} id={param} me={me} />
        ) : page === 'collections' ? (
          <CollectionsPage me={me} />
        ) : page === 'inbox' ? (
          <Inbox />
        ) : page === 'rules' ? (
          <RuleEditor routeName={param} />
        ) : page === 'trash' ? (
          <TrashPage />
        ) : page === 'projects' ? (
          <ProjectsPage me={me} />
        ) : page === 'analytics' && isAnalyst ? (
          <AnalyticsPage />
        ) : page === 'trace' && isInvestigator ? (
          <TracePage />
        ) : page === 'account' ? (
          <AccountPage onSignedOut={() => setMe(null)} />
        ) : page === 'users' && isAdmin ? (
          <UsersAdmin />
        ) : (
          <Library me={me} />
        )}
      </main>
    </div>
  );
}
