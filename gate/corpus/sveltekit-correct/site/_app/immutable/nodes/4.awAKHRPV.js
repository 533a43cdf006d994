import"../chunks/xihTtKlq.js";import"../chunks/BhOd0zXX.js";import{H as e,N as t,T as n,b as r,c as i,g as a,j as o,k as s,l as c,v as l}from"../chunks/CVfDEbRg.js";var u=r(l(`<script async="" src="https://js.tito.io/v2"><\/script> <script>
    (function(t,d,k){(t[k]=t[k]||[]).push(d);t[d]=t[d]||t[k].f||function(){(t[d].q=t[d].q||[]).push(arguments)}})(window,"trackdesk","TrackdeskObject");
    window.tito = window.tito || function() { (tito.q = tito.q || []).push(arguments);};
    tito('on:registration:finished', function(data){
      trackdesk("acme-events", "externalCid", {
        externalCid: data.email,
        revenueOriginId: "3f2b8c1e-5d4a-4b7e-9c21-6a0d8e4f1b37",
      });
    })
  <\/script>`,1)),d=l(`<h1>Tickets</h1> <p>Early-bird tickets are on sale until 1 March.</p> <tito-widget></tito-widget>`,3);function f(r){var l=d();c(`1drmknm`,t=>{var r=u();e(2),n(()=>{s.title=`Tickets | Acme Summit 2026`}),a(t,r)});var f=t(o(l),4);i(f,`event`,`acme-events/summit-2026`),a(r,l)}export{f as component};