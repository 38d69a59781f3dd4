import { createHash } from "node:crypto";

/**
 * The form pages' only script, and an optional one: the form works without it. It tells an
 * embedding page the height of the content (the loader, /embed.js, sizes the frame to it, and on
 * the thank-you page, marked done, brings the frame's top into view), and sends the form with
 * fetch so that errors appear inline without a reload and a double click sends once (a name given
 * several times, ticked boxes, as a list). Brought back by the back button (the bfcache), the
 * form can be sent again. Its first lines report the visitor's first input once, as a start
 * (lib/forms/stats.ts). On a form with a photo field, choosing a photo loads the resizer
 * (public/form-photos.js), and a form with photos chosen is sent as multipart/form-data, asking
 * for a JSON answer.
 */
export const PAGE_SCRIPT = `(()=>{
{const s=document.querySelector("form[data-form]"),p=s&&s.elements.namedItem("_page");
if(s&&navigator.sendBeacon)s.addEventListener("input",()=>navigator.sendBeacon(s.getAttribute("action")+"?event=start",new URLSearchParams({_page:p?p.value:""})),{once:true});}
const f=document.querySelector("form[data-form]");
if(parent!==window){const h=()=>parent.postMessage({type:"lead-portal:height",done:!f,height:Math.ceil(document.body.getBoundingClientRect().height)},"*");
new ResizeObserver(h).observe(document.body);h();}
if(!f||!window.fetch)return;
const b=f.querySelector("button[type=submit]");
addEventListener("pageshow",e=>{if(e.persisted)b.disabled=false});
const show=es=>{f.querySelectorAll(".error").forEach(p=>p.remove());
f.querySelectorAll("[aria-invalid]").forEach(i=>{i.removeAttribute("aria-invalid");i.removeAttribute("aria-describedby")});
const s=document.getElementById("summary");s.hidden=false;s.textContent=es.length===1?"Please check one field.":"Please check "+es.length+" fields.";
let first;for(const e of es){const i=document.getElementById("f-"+e.field);
if(!i){s.textContent=e.message;continue}
const p=document.createElement("p");p.className="error";p.id="f-"+e.field+"-error";p.textContent=e.message;
(i.closest(".field")||i.parentNode).appendChild(p);i.setAttribute("aria-invalid","true");i.setAttribute("aria-describedby",p.id);first=first||i}
if(first)first.focus()};
const p=f.querySelector("input[type=file]");
if(p)p.addEventListener("change",()=>{if(document.getElementById("fp"))return;const s=document.createElement("script");s.id="fp";s.src="/form-photos.js";document.head.appendChild(s)});
f.addEventListener("submit",async ev=>{ev.preventDefault();if(b.disabled)return;b.disabled=true;
const o={};for(const[k,v]of new FormData(f))if(typeof v=="string")o[k]=k in o?[].concat(o[k],v):v;
try{const r=await fetch(f.action,p&&p.files.length?{method:"POST",headers:{accept:"application/json"},body:await(window.formPhotos||(d=>d))(new FormData(f))}:{method:"POST",headers:{"content-type":"application/json"},body:JSON.stringify(o)});
if(r.ok){const j=await r.json().catch(()=>({}));location.assign(j.outside_service_area?f.dataset.outside:f.dataset.thanks);return}
const j=r.status===413?{errors:[{field:"photos",message:"Your photos are too large to send. Please attach fewer or smaller photos."}]}:await r.json();show(j.errors||[{field:"",message:j.message}])}
catch{show([{field:"",message:"Your request could not be sent. Please try again."}])}
b.disabled=false})})();`;

/** The script's hash, which the page's Content-Security-Policy allows and nothing else. */
export const PAGE_SCRIPT_HASH = `'sha256-${createHash("sha256").update(PAGE_SCRIPT).digest("base64")}'`;
