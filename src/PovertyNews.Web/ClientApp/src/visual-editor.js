// The visual (WYSIWYG) body editor: TipTap (ProseMirror) reading and writing Markdown through @tiptap/markdown.
// Markdown stays the stored format and Markdig the renderer; editor.js keeps the form's textarea in step with this
// editor, so the form posts what it always posted and works without JavaScript.
// editor.js calls window.PovertyNewsVisualEditor.create(...) and .unsupported(markdown).
import { Editor } from '@tiptap/core';
import { NodeSelection, TextSelection } from '@tiptap/pm/state';
import StarterKit from '@tiptap/starter-kit';
import { Markdown } from '@tiptap/markdown';
import { TableKit } from '@tiptap/extension-table';
import Image from '@tiptap/extension-image';
import { Placeholder } from '@tiptap/extensions';

// Markdig extensions the article pipeline enables that this editor has no node for. A body that uses one opens in
// the Markdown source instead, so nothing is lost by opening it in the visual editor.
const UNSUPPORTED = [
  [/^ {0,3}:::/m, '自定义容器（:::）'],
  [/^ {0,3}\^\^\^/m, '图注（^^^）'],
  [/\[\^[^\]]+\]/, '脚注（[^1]）'],
  [/^ {0,3}\+[-=:+]+\+\s*$/m, '网格表格'],
  [/^ {0,3}\*\[[^\]]+\]:/m, '缩写定义'],
  [/^[ \t]*:[ \t]+\S/m, '定义列表'],
  [/^ {0,3}[-*+] \[[ xX]\] /m, '任务列表'],
  [/<\/?[a-zA-Z][^>]*>|<!--/, 'HTML 标记'],
  [/==[^=\s][^=]*==|\+\+[^+\s][^+]*\+\+|\^[^\s^]+\^|(^|[^~])~[^~\s]+~(?!~)/m, '上标、下标、插入或标记文字'],
  [/^ {0,3}\^\^ /m, '页脚（^^）'],
  [/""[^"]+""/, '引用出处（""…""）'],
  [/^ {0,3}#{5,6} /m, '五、六级标题'],
  [/^ {0,3}(?:[a-zA-Z]|[ivxIVX]+)[.)] /m, '字母或罗马数字编号列表'],
  // The editor's tables have no column alignment: a delimiter row with a colon would lose it.
  [/^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$/m, '表格列对齐', (line) => line.includes(':')],
];

/** What in <paramref name="markdown"/> the visual editor cannot show and would lose; an empty list when nothing. */
function unsupported(markdown) {
  const text = String(markdown || '').replace(/^ {0,3}(`{3,}|~{3,})[\s\S]*?^ {0,3}\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
  return UNSUPPORTED.filter(([pattern, , check]) => {
    if (!check) {
      return pattern.test(text);
    }
    const lines = new RegExp(pattern.source, 'gm');
    return [...text.matchAll(lines)].some((match) => check(match[0]));
  }).map(([, name]) => name);
}

// The article pipeline reads emphasis the CJK-friendly way (Markdig's UseCjkFriendlyEmphasis): **“加粗”**后 is bold
// there, but not to CommonMark's rules, which the browser-side parser follows and would show as asterisks. Such
// spans are handed to it as the HTML they stand for; what it writes back is the same Markdown.
function cjkEmphasis(markdown) {
  const escapeHtml = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  let fence = null;
  return markdown.split('\n').map((line) => {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (marker) {
      if (!fence) {
        fence = marker[1][0];
      } else if (marker[1][0] === fence) {
        fence = null;
      }
      return line;
    }
    if (fence || /^( {4}|\t)/.test(line)) {
      return line;
    }
    // Outside code spans only.
    return line.split(/(`+[^`]*`+)/).map((part, index) => (index % 2 === 1 ? part : part
      .replace(/\*\*(?![\s*])([^*[\]`<>\n]*?[^\s*\\])\*\*/g, (_, inner) => `<strong>${escapeHtml(inner)}</strong>`)
      .replace(/(^|[^*\\])\*(?![\s*])([^*[\]`<>\n]*?[^\s*\\])\*(?!\*)/g, (_, before, inner) => `${before}<em>${escapeHtml(inner)}</em>`)))
      .join('');
  }).join('\n');
}

// An empty paragraph is written as &nbsp; so that it survives a round trip; an article has no use for blank
// paragraphs, so they are left out of what is saved.
function tidy(markdown) {
  return markdown
    .split(/\n{2,}/)
    .filter((block) => block.trim() !== '&nbsp;' && block.trim() !== '\u00a0')
    .join('\n\n')
    .trim();
}

/**
 * Creates the editor in `element` with `markdown`.
 * options: label (id of the label element), placeholder, isSafeUrl(url), onChange(markdown), onSelection(),
 * onImageFiles(files, position) for pasted or dropped images, onHtmlPaste(html) returning Markdown or null.
 */
function create(element, markdown, options) {
  const editor = new Editor({
    element,
    injectCSS: false, // the Content-Security-Policy forbids injected styles: js/dist/visual-editor.css has them
    extensions: [
      StarterKit.configure({
        heading: { levels: [1, 2, 3, 4] },
        underline: false, // no Markdown for it in the article pipeline
        link: {
          openOnClick: false,
          autolink: true,
          linkOnPaste: true,
          defaultProtocol: 'https',
          HTMLAttributes: { rel: null, target: null },
          isAllowedUri: (url) => options.isSafeUrl(url),
        },
      }),
      TableKit.configure({ table: { resizable: false } }),
      Image.configure({ inline: false, allowBase64: false }),
      Placeholder.configure({ placeholder: options.placeholder || '' }),
      Markdown,
    ],
    content: cjkEmphasis(markdown || ''),
    contentType: 'markdown',
    editorProps: {
      attributes: {
        class: 'visual-editor__content article__body',
        role: 'textbox',
        'aria-multiline': 'true',
        'aria-labelledby': options.label,
        spellcheck: 'false',
      },
      handlePaste: (view, event) => {
        const data = event.clipboardData;
        if (!data) {
          return false;
        }
        const html = data.getData('text/html');
        // Copied inside this editor (ProseMirror marks its own clipboard): its own paste keeps images and all.
        if (html && html.includes('data-pm-slice')) {
          return false;
        }
        // Word puts a picture of the copied text beside its HTML: the HTML is what was meant.
        if (html) {
          const converted = options.onHtmlPaste ? options.onHtmlPaste(html) : null;
          if (converted === null || converted === undefined) {
            return false;
          }
          event.preventDefault();
          editor.chain().focus().insertContent(cjkEmphasis(converted), { contentType: 'markdown' }).run();
          return true;
        }
        const images = [...data.files].filter((file) => file.type.startsWith('image/'));
        if (images.length > 0 && options.onImageFiles) {
          event.preventDefault();
          options.onImageFiles(images, view.state.selection.from);
          return true;
        }
        return false;
      },
      handleDrop: (view, event, slice, moved) => {
        const files = event.dataTransfer ? [...event.dataTransfer.files] : [];
        const images = files.filter((file) => file.type.startsWith('image/'));
        if (moved || images.length === 0 || !options.onImageFiles) {
          return false;
        }
        event.preventDefault();
        const at = view.posAtCoords({ left: event.clientX, top: event.clientY });
        options.onImageFiles(images, at ? at.pos : view.state.selection.from);
        return true;
      },
    },
    onUpdate: () => options.onChange(tidy(editor.getMarkdown())),
    onSelectionUpdate: () => options.onSelection && options.onSelection(),
    onTransaction: () => options.onSelection && options.onSelection(),
  });

  return {
    editor,
    markdown: () => tidy(editor.getMarkdown()),
    setMarkdown: (text) => editor.commands.setContent(cjkEmphasis(text || ''), { contentType: 'markdown', emitUpdate: false }),
    insertMarkdown: (text) => editor.chain().focus().insertContent(cjkEmphasis(text), { contentType: 'markdown' }).run(),
    insertImage: (image, position) => {
      const chain = editor.chain().focus();
      if (typeof position === 'number') {
        chain.insertContentAt(Math.min(position, editor.state.doc.content.size), { type: 'image', attrs: image });
      } else {
        chain.setImage(image);
      }
      // The new image is left selected, so the next key would replace it: the writing goes on after it instead.
      // (a paragraph is added when nothing follows it that could take the text).
      chain.command(({ tr, state }) => {
        const { selection } = tr;
        if (selection instanceof NodeSelection && selection.node.type.name === 'image') {
          const after = selection.to;
          const next = tr.doc.resolve(after).nodeAfter;
          if (!next || !next.isTextblock) {
            tr.insert(after, state.schema.nodes.paragraph.create());
          }
          tr.setSelection(TextSelection.create(tr.doc, after + 1));
        }
        return true;
      });
      return chain.run();
    },
    destroy: () => editor.destroy(),
  };
}

window.PovertyNewsVisualEditor = { create, unsupported };
