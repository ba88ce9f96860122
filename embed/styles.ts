// The widget's styles, adopted by its shadow root as a constructed stylesheet: nothing leaks in
// from the page or out to it, and no <style> element or style attribute exists for the page's
// CSP to refuse (colours are custom properties set through the CSSOM).
export const CSS = `
:host{all:initial}
.bw{position:fixed;bottom:20px;right:20px;z-index:2147483000;display:flex;flex-direction:column;align-items:flex-end;gap:10px;font:15px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1b1b1f;--bc:#0b5fff;--bt:#fff}
.bw.left{right:auto;left:20px;align-items:flex-start}
[hidden]{display:none!important}
.slot{display:contents}
button,input,textarea{font:inherit}
button{cursor:pointer;border:0;border-radius:20px;padding:9px 16px;font-weight:600}
.launcher{display:flex;align-items:center;gap:8px;background:var(--bc);color:var(--bt);padding:12px 20px;border-radius:24px;box-shadow:0 4px 14px rgba(0,0,0,.25)}
.dot{width:9px;height:9px;border-radius:50%;background:#2fd36b;box-shadow:0 0 0 2px rgba(255,255,255,.8)}
.dot.off{background:#9ea3ad}
.primary{background:var(--bc);color:var(--bt)}
.secondary{background:#eceef2;color:#1b1b1f}
:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}
.card{background:#fff;border-radius:12px;box-shadow:0 6px 24px rgba(0,0,0,.25);padding:16px;width:320px;max-width:calc(100vw - 40px);box-sizing:border-box}
.card h2{font-size:16px;margin:0 0 8px}
.card p{margin:0 0 12px}
.muted{color:#555b66;font-size:13px}
.row{display:flex;gap:8px;justify-content:flex-end;margin-top:12px}
label{display:block;font-size:13px;font-weight:600;margin:10px 0 3px}
input,textarea{display:block;width:100%;box-sizing:border-box;padding:7px 9px;border:1px solid #8a8f99;border-radius:6px;background:#fff;color:#1b1b1f}
textarea{min-height:90px;resize:vertical}
.error{color:#b00020}
a{color:var(--bc);font-weight:600}
.panel{display:flex;flex-direction:column;width:380px;height:580px;max-width:calc(100vw - 40px);max-height:calc(100vh - 110px);background:#fff;border-radius:12px;overflow:hidden;box-shadow:0 6px 24px rgba(0,0,0,.3)}
.panel header{display:flex;align-items:center;justify-content:space-between;gap:8px;background:var(--bc);color:var(--bt);padding:6px 8px 6px 14px;font-weight:600}
.panel header button{background:transparent;color:inherit;font-size:20px;line-height:1;padding:4px 10px}
.panel iframe{flex:1;border:0;width:100%}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;
