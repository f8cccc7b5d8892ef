// What other folders use of http/: imports from outside go through this face.
export { getApp } from './app';
export { type Readiness } from './health-routes';
export { helpdeskRoutes } from './helpdesk-routes';
export { reconcileRoutes } from './reconcile-routes';
export { closeServer, listenHttp } from './server';
