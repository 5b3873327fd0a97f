(function(){
var d=document,root=d.documentElement.getAttribute("data-root")||"";
function each(l,f){Array.prototype.forEach.call(l,f);}
function fold(s){return s.normalize("NFD").replace(/[\u0300-\u036f]/g,"").replace(/[đĐ]/g,"d").toLowerCase().replace(/[^a-z0-9]+/g," ").trim();}
var form=d.getElementById("tim"),q=d.getElementById("q"),out=d.getElementById("kq"),idx=null,asked=false;
if(form){form.hidden=false;
function load(){if(asked)return;asked=true;var s=d.createElement("script");s.src=root+"tim-kiem.js";s.onload=function(){idx=(window.TTHC_INDEX||[]).map(function(r){return{r:r,k:" "+fold(r[0]+" "+r[1])};});run();};d.head.appendChild(s);}
function run(){if(!idx)return;var t=fold(q.value);out.textContent="";if(!t){out.hidden=true;return;}
var w=t.split(" "),hits=idx.filter(function(e){return w.every(function(x){return e.k.indexOf(" "+x)>=0;});});
function rank(e){return e.k.indexOf(" "+t)<0?1:0;}
hits.sort(function(a,b){return rank(a)-rank(b)||a.r[1].length-b.r[1].length;});
if(!hits.length){var n=d.createElement("li");n.textContent="Không tìm thấy thủ tục nào.";out.appendChild(n);}
hits.slice(0,20).forEach(function(e){var li=d.createElement("li"),a=d.createElement("a");a.href=root+"tthc/"+e.r[0]+".html";a.textContent=e.r[0]+" "+e.r[1];var m=d.createElement("span");m.className="small";m.textContent=" — "+e.r[2];li.appendChild(a);li.appendChild(m);out.appendChild(li);});
out.hidden=false;}
q.addEventListener("focus",load);q.addEventListener("input",function(){load();run();});
form.addEventListener("submit",function(e){e.preventDefault();var a=out.querySelector("a");if(a)location.href=a.href;});}
function key(td){var v=td.getAttribute("data-v");return v!==null&&v!==""&&!isNaN(v)?+v:td.textContent.trim();}
each(d.querySelectorAll("table.sortable"),function(tb){each(tb.tHead.rows[tb.tHead.rows.length-1].cells,function(th,i){
var b=d.createElement("button");b.type="button";b.className="sort";while(th.firstChild)b.appendChild(th.firstChild);th.appendChild(b);
b.addEventListener("click",function(){var up=th.getAttribute("aria-sort")!=="ascending";each(th.parentNode.cells,function(c){c.removeAttribute("aria-sort");});th.setAttribute("aria-sort",up?"ascending":"descending");
var body=tb.tBodies[0],rows=Array.prototype.slice.call(body.rows);rows.sort(function(x,y){var a=key(x.cells[i]),c=key(y.cells[i]),r=typeof a==="number"&&typeof c==="number"?a-c:String(a).localeCompare(String(c),"vi");return up?r:-r;});
rows.forEach(function(r){body.appendChild(r);});});});});
each(d.querySelectorAll(".filters"),function(fs){var tb=d.getElementById(fs.getAttribute("data-for"));if(!tb)return;fs.hidden=false;var ctl=fs.querySelectorAll("[data-attr]"),cnt=fs.querySelector(".count");
function apply(){var n=0;each(tb.tBodies[0].rows,function(r){var ok=true;each(ctl,function(c){var a=r.getAttribute("data-"+c.getAttribute("data-attr"))||"";if(c.type==="checkbox"){if(c.checked&&a!=="1")ok=false;}else if(c.value&&(c.hasAttribute("data-tokens")?(" "+a+" ").indexOf(" "+c.value+" ")<0:a!==c.value))ok=false;});r.hidden=!ok;if(ok)n++;});if(cnt)cnt.textContent=n.toLocaleString("vi-VN");}
each(ctl,function(c){c.addEventListener("change",apply);});apply();});
window.addEventListener("beforeprint",function(){each(d.querySelectorAll("details"),function(x){x.open=true;});});
})();
