// The office face is online only; its data comes from the server loads below each page.
export const ssr = false;
