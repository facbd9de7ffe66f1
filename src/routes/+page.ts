// The prerendered start page doubles as the app shell the service worker serves offline.
export const prerender = true;
