(()=>{function _(e){for(var t=1;t<arguments.length;t++){var r=arguments[t];for(var n in r)Object.prototype.hasOwnProperty.call(r,n)&&(e[n]=r[n])}return e}function N(e,t){return Array(t+1).join(e)}function x(e){return e.replace(/^\n*/,"")}function O(e){for(var t=e.length;t>0&&e[t-1]===`
`;)t--;return e.substring(0,t)}function D(e){return O(x(e))}var j=["ADDRESS","ARTICLE","ASIDE","AUDIO","BLOCKQUOTE","BODY","CANVAS","CENTER","DD","DIR","DIV","DL","DT","FIELDSET","FIGCAPTION","FIGURE","FOOTER","FORM","FRAMESET","H1","H2","H3","H4","H5","H6","HEADER","HGROUP","HR","HTML","ISINDEX","LI","MAIN","MENU","NAV","NOFRAMES","NOSCRIPT","OL","OUTPUT","P","PRE","SECTION","TABLE","TBODY","TD","TFOOT","TH","THEAD","TR","UL"];function A(e){return E(e,j)}var L=["AREA","BASE","BR","COL","COMMAND","EMBED","HR","IMG","INPUT","KEYGEN","LINK","META","PARAM","SOURCE","TRACK","WBR"];function B(e){return E(e,L)}function G(e){return M(e,L)}var P=["A","TABLE","THEAD","TBODY","TFOOT","TH","TD","IFRAME","SCRIPT","AUDIO","VIDEO"];function K(e){return E(e,P)}function X(e){return M(e,P)}function E(e,t){return t.indexOf(e.nodeName)>=0}function M(e,t){return e.getElementsByTagName&&t.some(function(r){return e.getElementsByTagName(r).length})}var Y=[[/\\/g,"\\\\"],[/\*/g,"\\*"],[/^-/g,"\\-"],[/^\+ /g,"\\+ "],[/^(=+)/g,"\\$1"],[/^(#{1,6}) /g,"\\$1 "],[/`/g,"\\`"],[/^~~~/g,"\\~~~"],[/\[/g,"\\["],[/\]/g,"\\]"],[/^>/g,"\\>"],[/_/g,"\\_"],[/^(\d+)\. /g,"$1\\. "]];function I(e){return Y.reduce(function(t,r){return t.replace(r[0],r[1])},e)}var s={};s.paragraph={filter:"p",replacement:function(e){return`

`+e+`

`}};s.lineBreak={filter:"br",replacement:function(e,t,r){return r.br+`
`}};s.heading={filter:["h1","h2","h3","h4","h5","h6"],replacement:function(e,t,r){var n=Number(t.nodeName.charAt(1));if(r.headingStyle==="setext"&&n<3){var i=N(n===1?"=":"-",e.length);return`

`+e+`
`+i+`

`}else return`

`+N("#",n)+" "+e+`

`}};s.blockquote={filter:"blockquote",replacement:function(e){return e=D(e).replace(/^/gm,"> "),`

`+e+`

`}};s.list={filter:["ul","ol"],replacement:function(e,t){var r=t.parentNode;return r.nodeName==="LI"&&r.lastElementChild===t?`
`+e:`

`+e+`

`}};s.listItem={filter:"li",replacement:function(e,t,r){var n=r.bulletListMarker+"   ",i=t.parentNode;if(i.nodeName==="OL"){var a=i.getAttribute("start"),l=Array.prototype.indexOf.call(i.children,t);n=(a?Number(a)+l:l+1)+".  "}var c=/\n$/.test(e);return e=D(e)+(c?`
`:""),e=e.replace(/\n/gm,`
`+" ".repeat(n.length)),n+e+(t.nextSibling?`
`:"")}};s.indentedCodeBlock={filter:function(e,t){return t.codeBlockStyle==="indented"&&e.nodeName==="PRE"&&e.firstChild&&e.firstChild.nodeName==="CODE"},replacement:function(e,t,r){return`

    `+t.firstChild.textContent.replace(/\n/g,`
    `)+`

`}};s.fencedCodeBlock={filter:function(e,t){return t.codeBlockStyle==="fenced"&&e.nodeName==="PRE"&&e.firstChild&&e.firstChild.nodeName==="CODE"},replacement:function(e,t,r){for(var n=t.firstChild.getAttribute("class")||"",i=(n.match(/language-(\S+)/)||[null,""])[1],a=t.firstChild.textContent,l=r.fence.charAt(0),c=3,o=new RegExp("^"+l+"{3,}","gm"),u;u=o.exec(a);)u[0].length>=c&&(c=u[0].length+1);var p=N(l,c);return`

`+p+i+`
`+a.replace(/\n$/,"")+`
`+p+`

`}};s.horizontalRule={filter:"hr",replacement:function(e,t,r){return`

`+r.hr+`

`}};s.inlineLink={filter:function(e,t){return t.linkStyle==="inlined"&&e.nodeName==="A"&&e.getAttribute("href")},replacement:function(e,t){var r=k(t.getAttribute("href")),n=b(m(t.getAttribute("title"))),i=n?' "'+n+'"':"";return"["+e+"]("+r+i+")"}};s.referenceLink={filter:function(e,t){return t.linkStyle==="referenced"&&e.nodeName==="A"&&e.getAttribute("href")},replacement:function(e,t,r){var n=k(t.getAttribute("href")),i=m(t.getAttribute("title"));i&&(i=' "'+b(i)+'"');var a,l;switch(r.linkReferenceStyle){case"collapsed":a="["+e+"][]",l="["+e+"]: "+n+i;break;case"shortcut":a="["+e+"]",l="["+e+"]: "+n+i;break;default:var c=this.references.length+1;a="["+e+"]["+c+"]",l="["+c+"]: "+n+i}return this.references.push(l),a},references:[],append:function(e){var t="";return this.references.length&&(t=`

`+this.references.join(`
`)+`

`,this.references=[]),t}};s.emphasis={filter:["em","i"],replacement:function(e,t,r){return e.trim()?r.emDelimiter+e+r.emDelimiter:""}};s.strong={filter:["strong","b"],replacement:function(e,t,r){return e.trim()?r.strongDelimiter+e+r.strongDelimiter:""}};s.code={filter:function(e){var t=e.previousSibling||e.nextSibling,r=e.parentNode.nodeName==="PRE"&&!t;return e.nodeName==="CODE"&&!r},replacement:function(e){if(!e)return"";e=e.replace(/\r?\n|\r/g," ");for(var t=/^`|^ .*?[^ ].* $|`$/.test(e)?" ":"",r="`",n=e.match(/`+/gm)||[];n.indexOf(r)!==-1;)r=r+"`";return r+t+e+t+r}};s.image={filter:"img",replacement:function(e,t){var r=I(m(t.getAttribute("alt"))),n=k(t.getAttribute("src")||""),i=m(t.getAttribute("title")),a=i?' "'+b(i)+'"':"";return n?"!["+r+"]("+n+a+")":""}};function m(e){return e?e.replace(/(\n+\s*)+/g,`
`):""}function k(e){var t=e.replace(/([<>()])/g,"\\$1");return t.indexOf(" ")>=0?"<"+t+">":t}function b(e){return e.replace(/"/g,'\\"')}function H(e){this.options=e,this._keep=[],this._remove=[],this.blankRule={replacement:e.blankReplacement},this.keepReplacement=e.keepReplacement,this.defaultRule={replacement:e.defaultReplacement},this.array=[];for(var t in e.rules)this.array.push(e.rules[t])}H.prototype={add:function(e,t){this.array.unshift(t)},keep:function(e){this._keep.unshift({filter:e,replacement:this.keepReplacement})},remove:function(e){this._remove.unshift({filter:e,replacement:function(){return""}})},forNode:function(e){if(e.isBlank)return this.blankRule;var t;return(t=g(this.array,e,this.options))||(t=g(this._keep,e,this.options))||(t=g(this._remove,e,this.options))?t:this.defaultRule},forEach:function(e){for(var t=0;t<this.array.length;t++)e(this.array[t],t)}};function g(e,t,r){for(var n=0;n<e.length;n++){var i=e[n];if(z(i,t,r))return i}}function z(e,t,r){var n=e.filter;if(typeof n=="string"){if(n===t.nodeName.toLowerCase())return!0}else if(Array.isArray(n)){if(n.indexOf(t.nodeName.toLowerCase())>-1)return!0}else if(typeof n=="function"){if(n.call(e,t,r))return!0}else throw new TypeError("`filter` needs to be a string, array, or function")}function Q(e){var t=e.element,r=e.isBlock,n=e.isVoid,i=e.isPre||function(U){return U.nodeName==="PRE"};if(!(!t.firstChild||i(t))){for(var a=null,l=!1,c=null,o=R(c,t,i);o!==t;){if(o.nodeType===3||o.nodeType===4){var u=o.data.replace(/[ \r\n\t]+/g," ");if((!a||/ $/.test(a.data))&&!l&&u[0]===" "&&(u=u.substr(1)),!u){o=v(o);continue}o.data=u,a=o}else if(o.nodeType===1)r(o)||o.nodeName==="BR"?(a&&(a.data=a.data.replace(/ $/,"")),a=null,l=!1):n(o)||i(o)?(a=null,l=!0):a&&(l=!1);else{o=v(o);continue}var p=R(c,o,i);c=o,o=p}a&&(a.data=a.data.replace(/ $/,""),a.data||v(a))}}function v(e){var t=e.nextSibling||e.parentNode;return e.parentNode.removeChild(e),t}function R(e,t,r){return e&&e.parentNode===t||r(t)?t.nextSibling||t.parentNode:t.firstChild||t.nextSibling||t.parentNode}var T=typeof window<"u"?window:{};function J(){var e=T.DOMParser,t=!1;try{new e().parseFromString("","text/html")&&(t=!0)}catch{}return t}function Z(){var e=function(){};return ee()?e.prototype.parseFromString=function(t){var r=new window.ActiveXObject("htmlfile");return r.designMode="on",r.open(),r.write(t),r.close(),r}:e.prototype.parseFromString=function(t){var r=document.implementation.createHTMLDocument("");return r.open(),r.write(t),r.close(),r},e}function ee(){var e=!1;try{document.implementation.createHTMLDocument("").open()}catch{T.ActiveXObject&&(e=!0)}return e}var te=J()?T.DOMParser:Z();function re(e,t){var r;if(typeof e=="string"){var n=ne().parseFromString('<x-turndown id="turndown-root">'+e+"</x-turndown>","text/html");r=n.getElementById("turndown-root")}else r=e.cloneNode(!0);return Q({element:r,isBlock:A,isVoid:B,isPre:t.preformattedCode?ie:null}),r}var y;function ne(){return y=y||new te,y}function ie(e){return e.nodeName==="PRE"||e.nodeName==="CODE"}function ae(e,t){return e.isBlock=A(e),e.isCode=e.nodeName==="CODE"||e.parentNode.isCode,e.isBlank=le(e),e.flankingWhitespace=oe(e,t),e}function le(e){return!B(e)&&!K(e)&&/^\s*$/i.test(e.textContent)&&!G(e)&&!X(e)}function oe(e,t){if(e.isBlock||t.preformattedCode&&e.isCode)return{leading:"",trailing:""};var r=se(e.textContent);return r.leadingAscii&&w("left",e,t)&&(r.leading=r.leadingNonAscii),r.trailingAscii&&w("right",e,t)&&(r.trailing=r.trailingNonAscii),{leading:r.leading,trailing:r.trailing}}function se(e){var t=e.match(/^(([ \t\r\n]*)(\s*))(?:(?=\S)[\s\S]*\S)?((\s*?)([ \t\r\n]*))$/);return{leading:t[1],leadingAscii:t[2],leadingNonAscii:t[3],trailing:t[4],trailingNonAscii:t[5],trailingAscii:t[6]}}function w(e,t,r){var n,i,a;return e==="left"?(n=t.previousSibling,i=/ $/):(n=t.nextSibling,i=/^ /),n&&(n.nodeType===3?a=i.test(n.nodeValue):r.preformattedCode&&n.nodeName==="CODE"?a=!1:n.nodeType===1&&!A(n)&&(a=i.test(n.textContent))),a}var ce=Array.prototype.reduce;function h(e){if(!(this instanceof h))return new h(e);var t={rules:s,headingStyle:"setext",hr:"* * *",bulletListMarker:"*",codeBlockStyle:"indented",fence:"```",emDelimiter:"_",strongDelimiter:"**",linkStyle:"inlined",linkReferenceStyle:"full",br:"  ",preformattedCode:!1,blankReplacement:function(r,n){return n.isBlock?`

`:""},keepReplacement:function(r,n){return n.isBlock?`

`+n.outerHTML+`

`:n.outerHTML},defaultReplacement:function(r,n){return n.isBlock?`

`+r+`

`:r}};this.options=_({},t,e),this.rules=new H(this.options)}h.prototype={turndown:function(e){if(!he(e))throw new TypeError(e+" is not a string, or an element/document/fragment node.");if(e==="")return"";var t=$.call(this,new re(e,this.options));return ue.call(this,t)},use:function(e){if(Array.isArray(e))for(var t=0;t<e.length;t++)this.use(e[t]);else if(typeof e=="function")e(this);else throw new TypeError("plugin must be a Function or an Array of Functions");return this},addRule:function(e,t){return this.rules.add(e,t),this},keep:function(e){return this.rules.keep(e),this},remove:function(e){return this.rules.remove(e),this},escape:function(e){return I(e)}};function $(e){var t=this;return ce.call(e.childNodes,function(r,n){n=new ae(n,t.options);var i="";return n.nodeType===3?i=n.isCode?n.nodeValue:t.escape(n.nodeValue):n.nodeType===1&&(i=fe.call(t,n)),F(r,i),r},[])}function ue(e){var t=this;return this.rules.forEach(function(r){typeof r.append=="function"&&F(e,r.append(t.options))}),e.join("").replace(/^[\t\r\n]+/,"").replace(/[\t\r\n\s]+$/,"")}function fe(e){var t=this.rules.forNode(e),r=$.call(this,e).join(""),n=e.flankingWhitespace;return(n.leading||n.trailing)&&(r=r.trim()),n.leading+t.replacement(r,e,this.options)+n.trailing}function F(e,t){var r=e.pop()||"",n=O(r),i=x(t),a=Math.max(r.length-n.length,t.length-i.length),l=`

`.substring(0,a);n&&e.push(n),l&&e.push(l),i&&e.push(i)}function he(e){return e!=null&&(typeof e=="string"||e.nodeType&&(e.nodeType===1||e.nodeType===9||e.nodeType===11))}var q=/highlight-(?:text|source)-([a-z0-9]+)/;function de(e){e.addRule("highlightedCodeBlock",{filter:function(t){var r=t.firstChild;return t.nodeName==="DIV"&&q.test(t.className)&&r&&r.nodeName==="PRE"},replacement:function(t,r,n){var i=r.className||"",a=(i.match(q)||[null,""])[1];return`

`+n.fence+a+`
`+r.firstChild.textContent+`
`+n.fence+`

`}})}function pe(e){e.addRule("strikethrough",{filter:["del","s","strike"],replacement:function(t){return"~"+t+"~"}})}var me=Array.prototype.indexOf,ge=Array.prototype.every,f={};f.tableCell={filter:["th","td"],replacement:function(e,t){return W(e,t)}};f.tableRow={filter:"tr",replacement:function(e,t){var r="",n={left:":--",right:"--:",center:":-:"};if(C(t))for(var i=0;i<t.childNodes.length;i++){var a="---",l=(t.childNodes[i].getAttribute("align")||"").toLowerCase();l&&(a=n[l]||a),r+=W(a,t.childNodes[i])}return`
`+e+(r?`
`+r:"")}};f.table={filter:function(e){return e.nodeName==="TABLE"&&C(e.rows[0])},replacement:function(e){return e=e.replace(`

`,`
`),`

`+e+`

`}};f.tableSection={filter:["thead","tbody","tfoot"],replacement:function(e){return e}};function C(e){var t=e.parentNode;return t.nodeName==="THEAD"||t.firstChild===e&&(t.nodeName==="TABLE"||ve(t))&&ge.call(e.childNodes,function(r){return r.nodeName==="TH"})}function ve(e){var t=e.previousSibling;return e.nodeName==="TBODY"&&(!t||t.nodeName==="THEAD"&&/^\s*$/i.test(t.textContent))}function W(e,t){var r=me.call(t.parentNode.childNodes,t),n=" ";return r===0&&(n="| "),n+e+" |"}function ye(e){e.keep(function(r){return r.nodeName==="TABLE"&&!C(r.rows[0])});for(var t in f)e.addRule(t,f[t])}function Ne(e){e.addRule("taskListItems",{filter:function(t){return t.type==="checkbox"&&t.parentNode.nodeName==="LI"},replacement:function(t,r){return(r.checked?"[x]":"[ ]")+" "}})}function V(e){e.use([de,pe,ye,Ne])}var Ae="style, script, meta, link, title, xml, noscript, iframe, object, embed, svg, canvas, form, input, button, select, textarea, template",Ee="p, div, section, h1, h2, h3, h4, h5, h6, ul, ol, li, blockquote";function S(e){return(e.getAttribute("style")||"").toLowerCase().replace(/\s+/g,"")}function ke(e){let t=[...e.querySelectorAll('p[class^="MsoListParagraph" i], p[style*="mso-list" i]')],r=null,n=null;for(let i of t){let a=i.querySelector('[style*="mso-list" i]'),l=a?a.textContent.trim():"";a&&S(a).includes("mso-list:ignore")&&a.remove();let c=/^[0-9一二三四五六七八九十]+[.)、．]?$|^\(?[0-9]+\)$/.test(l);(!r||n!==i.previousElementSibling||r.nodeName==="OL"!==c)&&(r=e.createElement(c?"ol":"ul"),i.before(r));let o=e.createElement("li");o.append(...i.childNodes),r.append(o),i.remove(),n=r}}function be(e){let t=new DOMParser().parseFromString(e,"text/html");return t.querySelectorAll(Ae).forEach(r=>r.remove()),ke(t),t.querySelectorAll('p[style*="mso-outline-level" i]').forEach(r=>{let n=Number(/mso-outline-level:(\d)/.exec(S(r))?.[1]);if(n>=1&&n<=3&&r.textContent.trim()){let i=t.createElement(`h${n+1}`);i.append(...r.childNodes),r.replaceWith(i)}}),t.querySelectorAll('[style*="mso-list:ignore" i], o\\:p').forEach(r=>r.remove()),t.querySelectorAll("img").forEach(r=>{let n=(r.getAttribute("alt")||"").trim();r.replaceWith(t.createTextNode(`\uFF08\u6B64\u5904\u539F\u6709\u56FE\u7247${n?"\u201C"+n+"\u201D":""}\uFF0C\u8BF7\u4ECE\u5A92\u4F53\u5E93\u63D2\u5165\uFF09`))}),t.querySelectorAll("span[style], font[style]").forEach(r=>{let n=S(r),i=null;/(^|;)font-weight:(bold|bolder|[6-9]00)/.test(n)?i=t.createElement("strong"):/(^|;)font-style:italic/.test(n)&&(i=t.createElement("em")),i&&r.textContent.trim()&&(r.replaceWith(i),i.append(r))}),t.querySelectorAll("table").forEach(r=>{let n=r.querySelector("tr");n&&!r.querySelector("th")&&n.querySelectorAll("td").forEach(i=>{let a=t.createElement("th");a.append(...i.childNodes),i.replaceWith(a)}),r.querySelectorAll("td, th").forEach(i=>{i.querySelectorAll("br").forEach(a=>a.replaceWith(t.createTextNode(" "))),i.querySelectorAll(Ee).forEach(a=>{a.after(t.createTextNode(" ")),a.replaceWith(...a.childNodes)})})}),t.querySelectorAll("h1, h2, h3, h4, h5, h6").forEach(r=>{r.querySelectorAll("b, strong").forEach(n=>n.replaceWith(...n.childNodes))}),t.body}var d=new h({headingStyle:"atx",hr:"---",bulletListMarker:"-",codeBlockStyle:"fenced",emDelimiter:"*",strongDelimiter:"**"});d.use(V);d.addRule("links",{filter:"a",replacement(e,t){let r=(t.getAttribute("href")||"").trim();return!e.trim()||!/^(https?:\/\/|mailto:|\/(?!\/))/i.test(r)?e:`[${e}](${r.replace(/[()\s]/g,encodeURIComponent)})`}});d.addRule("listItem",{filter:"li",replacement(e,t,r){let n=t.parentNode,i=r.bulletListMarker+" ";n.nodeName==="OL"&&(i=`${Number(n.getAttribute("start")||1)+Array.prototype.indexOf.call(n.children,t)}. `);let a=e.replace(/^\n+/,"").replace(/\n+$/,`
`).replace(/\n/gm,`
`+" ".repeat(i.length));return i+a+(t.nextSibling&&!/\n$/.test(a)?`
`:"")}});d.addRule("inlineText",{filter:["u","ins","mark","font","span","small","big","sub","sup"],replacement:e=>e});function Te(e){return e.replace(/\u00a0/g," ").replace(/^\u3000+/gm,"").replace(/[ \t]+$/gm,"").replace(/\n{3,}/g,`

`).trim()}window.PovertyNewsPaste={toMarkdown(e){return Te(d.turndown(be(e)))}};})();
