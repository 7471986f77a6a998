export { startLiveServer, ensureWebBuild, freePort, type LiveServer, type LiveServerOptions } from './live-server';
export { startRoundRobinProxy, type ProxyOptions, type ProxyStats, type RoundRobinProxy } from './round-robin-proxy';
