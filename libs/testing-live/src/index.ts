export { startLiveServer, ensureWebBuild, type LiveServer, type LiveServerOptions } from './live-server';
