import"../chunks/xihTtKlq.js";import"../chunks/DgbnB480.js";import{A as e,E as t,M as n,P as r,_ as i,c as a,f as o,l as s,x as c,y as l}from"../chunks/BXpSv5Z0.js";var u=`<!-- Trackdesk tracker begin -->
<script>
  (function(t,d,k){(t[k]=t[k]||[]).push(d);t[d]=t[d]||t[k].f||function(){(t[d].q=t[d].q||[]).push(arguments)}})(window,"trackdesk","TrackdeskObject");
  window.tito = window.tito || function() { (tito.q = tito.q || []).push(arguments);};
  tito('on:registration:finished', function(data){
    trackdesk("acme-events", "externalCid", {
      externalCid: data.email,
      revenueOriginId: "3f2b8c1e-5d4a-4b7e-9c21-6a0d8e4f1b37",
    });
  })
<\/script>
<!-- Trackdesk tracker end -->`,d=c(l(`<script async="" src="https://js.tito.io/v2"><\/script> <!>`,1)),f=l(`<h1>Tickets</h1> <p>Early-bird tickets are on sale until 1 March.</p> <tito-widget></tito-widget>`,3);function p(c){var l=f();s(`1drmknm`,a=>{var s=d(),c=r(n(s),2);o(c,()=>u),t(()=>{e.title=`Tickets | Acme Summit 2026`}),i(a,s)});var p=r(n(l),4);a(p,`event`,`acme-events/summit-2026`),i(c,l)}export{p as component};