export { startLiveServer, ensureWebBuild, freePort, type LiveServer, type LiveServerOptions } from './live-server';
