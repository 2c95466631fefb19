/** The frame: a skip link, the navigation, and the page of the current route, whose heading takes focus on navigation. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiFailure, call } from './api.js';
import type { ComponentChildren } from 'preact';
import { href, useRoute } from './router.js';
import { AppsPage } from './views/apps.js';
import { AppDetailPage } from './views/app-detail.js';
import { PlanPage } from './views/plan.js';
import { CapabilitiesPage } from './views/capabilities.js';
import { ClustersPage } from './views/clusters.js';

const SECTIONS = [
  ['apps', 'Apps'],
  ['plan', 'Plan'],
  ['capabilities', 'Capabilities'],
  ['clusters', 'Clusters'],
] as const;

export function App() {
  const route = useRoute();
  const section = route[0] ?? 'apps';
  const main = useRef<HTMLElement>(null);
  const [denied, setDenied] = useState(false);
  useEffect(() => {
    call('/api/session').catch((err: unknown) => setDenied(err instanceof ApiFailure && err.status === 401));
  }, []);
  const first = useRef(true);
  useEffect(() => {
    // Keyboard and screen-reader users land on the new page's heading, not at the old scroll position.
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [route.join('/')]);
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); main.current?.focus(); }}>Skip to content</a>
      <header class="top">
        <span class="brand">vela dashboard</span>
        <nav aria-label="Sections">
          <ul>
            {SECTIONS.map(([id, label]) => (
              <li key={id}>
                <a href={href(id)} aria-current={section === id ? 'page' : undefined}>{label}</a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {denied ? <Denied /> : <Page route={route} />}
      </main>
    </>
  );
}

function Denied() {
  return (
    <>
      <h1 tabIndex={-1}>Access token needed</h1>
      <p role="alert">
        This dashboard answers only with its access token. Open the URL that <code>vela dashboard</code> printed (it ends in <code>?token=…</code>).
      </p>
    </>
  );
}

function Page({ route }: { route: string[] }): ComponentChildren {
  const [section = 'apps', ...rest] = route;
  switch (section) {
    case 'apps':
      return rest.length === 3 ? <AppDetailPage cluster={rest[0]!} namespace={rest[1]!} app={rest[2]!} /> : <AppsPage />;
    case 'plan':
      return <PlanPage />;
    case 'capabilities':
      return rest[0] === 'addon' ? <CapabilitiesPage selected={rest[1]} addon /> : <CapabilitiesPage selected={rest[0]} />;
    case 'clusters':
      return <ClustersPage />;
    default:
      return (
        <>
          <h1 tabIndex={-1}>Not found</h1>
          <p>There is no page “{section}”. <a href={href('apps')}>See the apps</a>.</p>
        </>
      );
  }
}
