import type { RouteHandlers } from './router';
import { connectionRoutes } from './routes/connection-routes';
import { environmentRoutes } from './routes/environment-routes';
import { pauseRoutes } from './routes/pause-routes';
import { planRoutes } from './routes/plan-routes';
import { runRoutes } from './routes/run-routes';

/** Every route's handler by route key; a test checks that it covers infra/api-routes.ts exactly. */
export const ROUTE_HANDLERS: RouteHandlers = { ...environmentRoutes, ...runRoutes, ...planRoutes, ...pauseRoutes, ...connectionRoutes };
