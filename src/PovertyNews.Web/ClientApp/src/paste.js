// Pasted HTML (Word, WPS, a WeChat article, a web page) as clean Markdown for the article body: headings, lists,
// tables, bold, italics and links survive; fonts, colours, inline styles, spans and Word's markup do not.
// editor.js calls window.PovertyNewsPaste.toMarkdown(html) when HTML is pasted into the body.
import TurndownService from 'turndown';
import { gfm } from 'turndown-plugin-gfm';

const DROPPED = 'style, script, meta, link, title, xml, noscript, iframe, object, embed, svg, canvas, form, input, button, select, textarea, template';
const BLOCKS_IN_CELLS = 'p, div, section, h1, h2, h3, h4, h5, h6, ul, ol, li, blockquote';

function styleOf(element) {
  return (element.getAttribute('style') || '').toLowerCase().replace(/\s+/g, '');
}

// Word and WPS write a list as paragraphs of class MsoListParagraph…, each starting with its bullet or number in a
// span styled mso-list:Ignore. They become real lists: numbered when the marker was a number.
function wordLists(doc) {
  const items = [...doc.querySelectorAll('p[class^="MsoListParagraph" i], p[style*="mso-list" i]')];
  let list = null;
  let previous = null;
  for (const paragraph of items) {
    const marker = paragraph.querySelector('[style*="mso-list" i]');
    const markerText = marker ? marker.textContent.trim() : '';
    if (marker && styleOf(marker).includes('mso-list:ignore')) {
      marker.remove();
    }
    const ordered = /^[0-9一二三四五六七八九十]+[.)、．]?$|^\(?[0-9]+\)$/.test(markerText);
    if (!list || previous !== paragraph.previousElementSibling || (list.nodeName === 'OL') !== ordered) {
      list = doc.createElement(ordered ? 'ol' : 'ul');
      paragraph.before(list);
    }
    const item = doc.createElement('li');
    item.append(...paragraph.childNodes);
    list.append(item);
    paragraph.remove();
    previous = list;
  }
}

function prepare(html) {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  doc.querySelectorAll(DROPPED).forEach((element) => element.remove());
  wordLists(doc);
  // Word marks a heading it writes as a plain paragraph with its outline level (mso-outline-level:1 for 标题 1).
  doc.querySelectorAll('p[style*="mso-outline-level" i]').forEach((paragraph) => {
    const level = Number(/mso-outline-level:(\d)/.exec(styleOf(paragraph))?.[1]);
    if (level >= 1 && level <= 3 && paragraph.textContent.trim()) {
      const heading = doc.createElement(`h${level + 1}`);
      heading.append(...paragraph.childNodes);
      paragraph.replaceWith(heading);
    }
  });
  // Word's bookmarks and comments markers, and its <o:p> paragraphs, carry nothing.
  doc.querySelectorAll('[style*="mso-list:ignore" i], o\\:p').forEach((element) => element.remove());
  // Pictures from another site cannot be shown (WeChat's refuse other sites) and are not in the media library.
  doc.querySelectorAll('img').forEach((image) => {
    const alt = (image.getAttribute('alt') || '').trim();
    image.replaceWith(doc.createTextNode(`（此处原有图片${alt ? '“' + alt + '”' : ''}，请从媒体库插入）`));
  });
  // Bold and italics given only as styles (WeChat, WPS) become what they are.
  doc.querySelectorAll('span[style], font[style]').forEach((span) => {
    const style = styleOf(span);
    let wrapper = null;
    // Only the property itself: Word's mso-bidi-font-weight:bold is about right-to-left scripts, not this text.
    if (/(^|;)font-weight:(bold|bolder|[6-9]00)/.test(style)) {
      wrapper = doc.createElement('strong');
    } else if (/(^|;)font-style:italic/.test(style)) {
      wrapper = doc.createElement('em');
    }
    if (wrapper && span.textContent.trim()) {
      span.replaceWith(wrapper);
      wrapper.append(span);
    }
  });
  // A Markdown table needs a heading row and one line per cell: the first row becomes the heading when it is not one,
  // and a cell's paragraphs run on with a space.
  doc.querySelectorAll('table').forEach((table) => {
    const first = table.querySelector('tr');
    if (first && !table.querySelector('th')) {
      first.querySelectorAll('td').forEach((cell) => {
        const heading = doc.createElement('th');
        heading.append(...cell.childNodes);
        cell.replaceWith(heading);
      });
    }
    table.querySelectorAll('td, th').forEach((cell) => {
      cell.querySelectorAll('br').forEach((br) => br.replaceWith(doc.createTextNode(' ')));
      cell.querySelectorAll(BLOCKS_IN_CELLS).forEach((block) => {
        block.after(doc.createTextNode(' '));
        block.replaceWith(...block.childNodes);
      });
    });
  });
  // A heading is bold already: bold inside it (Word bolds its headings by hand) would only add asterisks.
  doc.querySelectorAll('h1, h2, h3, h4, h5, h6').forEach((heading) => {
    heading.querySelectorAll('b, strong').forEach((bold) => bold.replaceWith(...bold.childNodes));
  });
  return doc.body;
}

const service = new TurndownService({
  headingStyle: 'atx',
  hr: '---',
  bulletListMarker: '-',
  codeBlockStyle: 'fenced',
  emDelimiter: '*',
  strongDelimiter: '**',
});
service.use(gfm);
// Links keep only addresses a report may carry (web, mail, this site); Word's bookmarks and the rest become their text.
service.addRule('links', {
  filter: 'a',
  replacement(content, node) {
    const href = (node.getAttribute('href') || '').trim();
    if (!content.trim() || !/^(https?:\/\/|mailto:|\/(?!\/))/i.test(href)) {
      return content;
    }
    return `[${content}](${href.replace(/[()\s]/g, encodeURIComponent)})`;
  },
});
// "- item" and "1. item", as people type them (turndown pads the marker to four characters).
service.addRule('listItem', {
  filter: 'li',
  replacement(content, node, options) {
    const parent = node.parentNode;
    let prefix = options.bulletListMarker + ' ';
    if (parent.nodeName === 'OL') {
      const start = Number(parent.getAttribute('start') || 1);
      prefix = `${start + Array.prototype.indexOf.call(parent.children, node)}. `;
    }
    const text = content.replace(/^\n+/, '').replace(/\n+$/, '\n').replace(/\n/gm, '\n' + ' '.repeat(prefix.length));
    return prefix + text + (node.nextSibling && !/\n$/.test(text) ? '\n' : '');
  },
});
// Underlines, highlights and other inline markup keep their text only.
service.addRule('inlineText', {
  filter: ['u', 'ins', 'mark', 'font', 'span', 'small', 'big', 'sub', 'sup'],
  replacement: (content) => content,
});

function tidy(markdown) {
  return markdown
    .replace(/\u00a0/g, ' ')
    // The two-character indent Chinese documents type with full-width spaces is the page's job, not the text's.
    .replace(/^\u3000+/gm, '')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

window.PovertyNewsPaste = {
  toMarkdown(html) {
    return tidy(service.turndown(prepare(html)));
  },
};
