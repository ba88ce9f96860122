// The x11 package ships no types; the agent uses a small part of it (display check, window
// list, watermark), typed loosely at the call sites.
declare module 'x11' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const x11: any;
  export default x11;
}
