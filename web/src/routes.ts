/**
 * The pages of the portal. Each page is its own chunk (React.lazy), so the search and procedure
 * pages load only the code they need. To add a page: one line here.
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

export interface PageProps {
  params: Record<string, string>;
}

export interface Route {
  path: string;
  page: LazyExoticComponent<ComponentType<PageProps>>;
}

export const routes: Route[] = [
  { path: '/', page: lazy(() => import('./pages/Home.js')) },
  { path: '/tim-kiem', page: lazy(() => import('./pages/Search.js')) },
  { path: '/thu-tuc/:code', page: lazy(() => import('./pages/Procedure.js')) },
  { path: '/ho-so-cua-toi', page: lazy(() => import('./pages/MyDossiers.js')) },
  { path: '/nop-ho-so/:code', page: lazy(() => import('./pages/Submit.js')) },
  { path: '/tra-cuu', page: lazy(() => import('./pages/Lookup.js')) },
  { path: '/verify', page: lazy(() => import('./pages/Verify.js')) },
  { path: '/ho-so/:code', page: lazy(() => import('./pages/Dossier.js')) },
  { path: '/ho-so/:code/bien-nhan', page: lazy(() => import('./pages/Receipt.js')) },
  { path: '/ho-so/:code/thanh-toan', page: lazy(() => import('./pages/Payment.js')) },
  { path: '/can-bo/dang-nhap', page: lazy(() => import('./workspace/Login.js')) },
  { path: '/can-bo', page: lazy(() => import('./workspace/Queues.js')) },
  { path: '/can-bo/tiep-nhan', page: lazy(() => import('./workspace/WalkIn.js')) },
  { path: '/can-bo/ho-so/:code', page: lazy(() => import('./workspace/DossierPage.js')) },
  { path: '/lanh-dao', page: lazy(() => import('./dashboard/Heatmap.js')) },
  { path: '/lanh-dao/don-vi/:unit', page: lazy(() => import('./dashboard/Drill.js')) },
  { path: '/lanh-dao/so-sanh', page: lazy(() => import('./dashboard/Compare.js')) },
  { path: '/lanh-dao/thoi-gian', page: lazy(() => import('./dashboard/TimeView.js')) },
  { path: '/quan-tri/chi-tieu', page: lazy(() => import('./admin/MonitoringSettings.js')) },
  { path: '/lanh-dao/chi-so', page: lazy(() => import('./dashboard/IndexView.js')) },
  { path: '/lanh-dao/chi-so/:unit', page: lazy(() => import('./dashboard/IndexView.js')) },
];

export const notFoundPage: Route['page'] = lazy(() => import('./pages/NotFound.js'));
