/**
 * The loader a business pastes into its site:
 *   <script src="https://PORTAL/embed.js" data-form="contact" async></script>
 * It puts the form in a frame after itself, passes the page's address and referrer (so UTM
 * parameters and click ids reach the lead), and sizes the frame to the height the form reports,
 * trusting only messages from the portal's origin and from its own frame. When the thank-you page
 * reports, the frame shrinks to it and, if its top is out of view, is scrolled into view.
 */
export const EMBED_SCRIPT = `(()=>{var s=document.currentScript;if(!s)return;
var o=new URL(s.src).origin,f=s.getAttribute("data-form")||"contact",i=document.createElement("iframe");
i.src=o+"/f/"+encodeURIComponent(f)+"?"+new URLSearchParams({page:location.href,ref:document.referrer});
i.title=s.getAttribute("data-title")||"Contact form";i.style.cssText="display:block;width:100%;border:0;height:640px";
addEventListener("message",function(e){var d=e.data;if(e.origin===o&&e.source===i.contentWindow&&d&&d.type==="lead-portal:height"&&d.height>0){i.style.height=Math.ceil(d.height)+"px";var t=i.getBoundingClientRect().top;if(d.done&&(t<0||t>innerHeight))i.scrollIntoView()}});
s.parentNode.insertBefore(i,s.nextSibling)})();`;
