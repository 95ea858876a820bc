import { useCallback, useEffect, useState } from 'react';
import { call, client, type Me } from './api';
import { AppHeader, pagesOf } from './app-header';
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
  const { isAdmin, isAnalyst, isInvestigator } = pagesOf(me);
  return (
    <div className="shell">
      <AppHeader me={me} page={page ?? 'library'} onSignedOut={() => setMe(null)} />
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
