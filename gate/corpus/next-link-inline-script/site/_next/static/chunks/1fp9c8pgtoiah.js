(globalThis.TURBOPACK||(globalThis.TURBOPACK=[])).push(["object"==typeof document?document.currentScript:void 0,26521,t=>{"use strict";t.i(23012);var e=t.i(42569),i=t.i(98707);let n=`(function(t,d,k){(t[k]=t[k]||[]).push(d);t[d]=t[d]||t[k].f||function(){(t[d].q=t[d].q||[]).push(arguments)}})(window,"trackdesk","TrackdeskObject");
window.tito = window.tito || function() { (tito.q = tito.q || []).push(arguments);};
tito('on:registration:finished', function(data){
  trackdesk(${JSON.stringify("acme-events")}, "externalCid", {
    externalCid: data.email,
    revenueOriginId: ${JSON.stringify("3f2b8c1e-5d4a-4b7e-9c21-6a0d8e4f1b37")},
  });
})`;t.s(["default",0,function(){return(0,e.jsxs)(e.Fragment,{children:[(0,e.jsx)("h1",{children:"Tickets"}),(0,e.jsx)("p",{children:"Early-bird tickets are on sale until 1 March."}),(0,e.jsx)("tito-widget",{event:"acme-events/summit-2026"}),(0,e.jsx)(i.default,{src:"https://js.tito.io/v2",strategy:"afterInteractive"}),(0,e.jsx)(i.default,{src:"//cdn.trackdesk.com/tracking.js",strategy:"afterInteractive"}),(0,e.jsx)("script",{id:"trackdesk-conversion",dangerouslySetInnerHTML:{__html:n}})]})}])},98707,(t,e,i)=>{e.exports=t.r(90100)}]);