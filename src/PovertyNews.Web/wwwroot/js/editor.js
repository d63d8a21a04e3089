// The article editor: Markdown toolbar, live preview, autosave, a copy of the text in this browser until the server
// has it, and a warning before leaving unsaved changes.
// Loaded with defer on the write and edit pages; everything hangs off #article-form and works without it too.
(() => {
    'use strict';

    const form = document.getElementById('article-form');
    if (!form) {
        return;
    }
    const body = form.querySelector('textarea[name="Input.Body"]');
    const preview = document.getElementById('editor-preview');
    const status = document.getElementById('editor-status');
    const tokenInput = form.querySelector('input[name="__RequestVerificationToken"]');
    const versionInput = form.querySelector('input[name="Input.Version"]');
    const token = tokenInput ? tokenInput.value : '';
    const PREVIEW_DELAY = 600;
    const AUTOSAVE_INTERVAL = 30000;

    // ---- Toolbar ----

    const toolbar = form.querySelector('.editor-toolbar');

    function replaceSelection(text, selectFrom, selectTo) {
        const start = body.selectionStart;
        const end = body.selectionEnd;
        body.focus();
        body.setRangeText(text, start, end, 'end');
        if (selectFrom !== undefined) {
            body.setSelectionRange(start + selectFrom, start + selectTo);
        }
        body.dispatchEvent(new Event('input', { bubbles: true }));
    }

    function wrap(before, after, placeholder) {
        const selected = body.value.slice(body.selectionStart, body.selectionEnd) || placeholder;
        replaceSelection(before + selected + after, before.length, before.length + selected.length);
    }

    // Prefixes every line the selection touches (the whole current line when nothing is selected).
    function prefixLines(prefix) {
        const value = body.value;
        const lineStart = value.lastIndexOf('\n', body.selectionStart - 1) + 1;
        let lineEnd = value.indexOf('\n', body.selectionEnd);
        if (lineEnd < 0) {
            lineEnd = value.length;
        }
        body.setSelectionRange(lineStart, lineEnd);
        const lines = value.slice(lineStart, lineEnd).split('\n').map((line) => prefix + line);
        const text = lines.join('\n');
        replaceSelection(text, 0, text.length);
    }

    function askUrl(label) {
        const url = window.prompt(label, 'https://');
        return url && url !== 'https://' ? url.trim() : null;
    }

    // The same rule as the server's (ArticleRules.IsSafeUrl): http(s) with a host, or a path on this site.
    function isSafeUrl(url) {
        if (/[\s\\\u0000-\u001f]/.test(url)) {
            return false;
        }
        if (url.startsWith('/')) {
            return !url.startsWith('//');
        }
        try {
            const parsed = new URL(url);
            return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '';
        } catch (error) {
            return false;
        }
    }

    // 链接: a small dialog with the text and the address, checked before anything is inserted.
    let linkDialog = null;
    let linkRange = null;
    function openLinkDialog() {
        if (!linkDialog) {
            linkDialog = document.createElement('dialog');
            linkDialog.className = 'editor-dialog';
            linkDialog.setAttribute('aria-labelledby', 'link-dialog-title');
            linkDialog.innerHTML =
                '<form method="dialog" novalidate>' +
                '<h2 id="link-dialog-title">插入链接</h2>' +
                '<p class="field"><label for="link-dialog-text">链接文字</label><input id="link-dialog-text" type="text" autocomplete="off"></p>' +
                '<p class="field"><label for="link-dialog-url">链接地址</label><input id="link-dialog-url" type="url" inputmode="url" autocomplete="off" placeholder="https://" aria-describedby="link-dialog-error"></p>' +
                '<p class="field-error" id="link-dialog-error" role="alert"></p>' +
                '<p class="actions"><button type="submit" class="button button--primary" value="insert">插入</button> ' +
                '<button type="button" class="button" data-unlink hidden>移除链接</button> ' +
                '<button type="button" class="button" data-cancel>取消</button></p>' +
                '</form>';
            form.after(linkDialog);
            const error = linkDialog.querySelector('#link-dialog-error');
            const urlInput = linkDialog.querySelector('#link-dialog-url');
            linkDialog.querySelector('[data-cancel]').addEventListener('click', () => linkDialog.close());
            linkDialog.querySelector('[data-unlink]').addEventListener('click', () => {
                linkDialog.close();
                visual.editor.chain().focus().setTextSelection({ from: linkRange[0], to: linkRange[1] }).extendMarkRange('link').unsetLink().run();
            });
            urlInput.addEventListener('input', () => { error.textContent = ''; urlInput.removeAttribute('aria-invalid'); });
            linkDialog.querySelector('form').addEventListener('submit', (event) => {
                event.preventDefault();
                const text = linkDialog.querySelector('#link-dialog-text').value.trim() || '链接文字';
                const url = urlInput.value.trim();
                if (!isSafeUrl(url)) {
                    error.textContent = '请填写以 http:// 或 https:// 开头的网址，或以 / 开头的本站地址。';
                    urlInput.setAttribute('aria-invalid', 'true');
                    urlInput.focus();
                    return;
                }
                linkDialog.close();
                if (visual) {
                    const [from, to] = linkRange;
                    const chain = visual.editor.chain().focus().setTextSelection({ from, to });
                    if (to > from && visual.editor.state.doc.textBetween(from, to, ' ') === text) {
                        chain.extendMarkRange('link').setLink({ href: url }).setTextSelection(to);
                    } else {
                        chain.insertContentAt({ from, to }, { type: 'text', text, marks: [{ type: 'link', attrs: { href: url } }] });
                    }
                    chain.unsetMark('link').run();
                    return;
                }
                body.setSelectionRange(linkRange[0], linkRange[1]);
                const markdown = '[' + text.replace(/[\[\]]/g, '\\$&') + '](' + url.replace(/[()]/g, encodeURIComponent) + ')';
                replaceSelection(markdown);
            });
        }
        let text;
        let url = '';
        if (visual) {
            const editor = visual.editor;
            if (editor.isActive('link')) {
                // Editing a link: the whole of it, whatever part the cursor is in.
                editor.chain().extendMarkRange('link').run();
                url = editor.getAttributes('link').href || '';
            }
            const { from, to } = editor.state.selection;
            linkRange = [from, to];
            text = editor.state.doc.textBetween(from, to, ' ');
        } else {
            linkRange = [body.selectionStart, body.selectionEnd];
            text = body.value.slice(linkRange[0], linkRange[1]);
        }
        linkDialog.querySelector('#link-dialog-title').textContent = url ? '编辑链接' : '插入链接';
        linkDialog.querySelector('[data-unlink]').hidden = !url;
        linkDialog.querySelector('#link-dialog-text').value = text;
        linkDialog.querySelector('#link-dialog-url').value = url;
        linkDialog.querySelector('#link-dialog-error').textContent = '';
        linkDialog.showModal();
        linkDialog.querySelector(linkRange[0] === linkRange[1] ? '#link-dialog-text' : '#link-dialog-url').focus();
    }

    // In the Markdown text: what each button writes.
    const formats = {
        bold: () => wrap('**', '**', '加粗文字'),
        italic: () => wrap('*', '*', '斜体文字'),
        heading: () => prefixLines('## '),
        quote: () => prefixLines('> '),
        list: () => prefixLines('- '),
        ordered: () => prefixLines('1. '),
        link: () => openLinkDialog(),
        image: () => openMediaPicker(),
        table: () => {
            const start = body.selectionStart;
            const needsBreak = start > 0 && body.value[start - 1] !== '\n' ? '\n\n' : '';
            const table = needsBreak + '| 项目 | 数值 |\n| --- | --- |\n| 内容 | 内容 |\n';
            replaceSelection(table, needsBreak.length + 2, needsBreak.length + 4);
        },
    };

    // In the visual editor: the same buttons as commands on the document, and the table's rows and columns.
    const visualFormats = {
        bold: (chain) => chain.toggleBold(),
        italic: (chain) => chain.toggleItalic(),
        heading: (chain) => chain.toggleHeading({ level: 2 }),
        quote: (chain) => chain.toggleBlockquote(),
        list: (chain) => chain.toggleBulletList(),
        ordered: (chain) => chain.toggleOrderedList(),
        table: (chain) => chain.insertTable({ rows: 3, cols: 2, withHeaderRow: true }),
        'row-after': (chain) => chain.addRowAfter(),
        'row-delete': (chain) => chain.deleteRow(),
        'column-after': (chain) => chain.addColumnAfter(),
        'column-delete': (chain) => chain.deleteColumn(),
        'table-delete': (chain) => chain.deleteTable(),
    };
    const ACTIVE = { bold: 'bold', italic: 'italic', heading: ['heading', { level: 2 }], quote: 'blockquote', list: 'bulletList', ordered: 'orderedList', link: 'link' };

    function format(name) {
        if (name === 'link') {
            openLinkDialog();
        } else if (name === 'image') {
            openMediaPicker();
        } else if (visual && visualFormats[name]) {
            visualFormats[name](visual.editor.chain().focus()).run();
        } else if (!visual && formats[name]) {
            formats[name]();
        }
    }

    function openMediaPicker() {
        // With the media library's picker on the page, pick or upload there (it hands the image back through the
        // editor:insert-image event, or writes the Markdown into the text).
        const picker = document.getElementById('media-dialog');
        if (picker && picker.dataset.ready === 'true') {
            picker.dispatchEvent(new CustomEvent('media:open', { detail: { mode: 'body' } }));
            return;
        }
        const url = askUrl('图片地址（http(s) 网址或以 / 开头的本站地址）');
        if (url && isSafeUrl(url)) {
            insertImage({ src: url, alt: '图片说明' });
        }
    }

    if (toolbar && body) {
        toolbar.hidden = false;
        toolbar.addEventListener('click', (event) => {
            const button = event.target.closest('button[data-format]');
            if (button) {
                format(button.dataset.format);
            }
        });
        // Keys for the Markdown text; the visual editor has its own for bold and italics.
        form.addEventListener('keydown', (event) => {
            const inBody = event.target === body || (visual && visual.editor.view.dom.contains(event.target));
            if (!inBody || !(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) {
                return;
            }
            const key = event.key.toLowerCase();
            if (key === 'k') {
                event.preventDefault();
                format('link');
            } else if (!visual && (key === 'b' || key === 'i')) {
                event.preventDefault();
                format(key === 'b' ? 'bold' : 'italic');
            }
        });
    }

    // ---- Visual editor ----
    // js/dist/visual-editor.js (TipTap from npm) edits the body as it will look. The textarea stays the form's field:
    // every change in the visual editor writes its Markdown there, so saving, autosave, the preview, the count and the
    // copy in this browser work as they did. 源码 switches to the Markdown text; a body with formats the visual
    // editor cannot show opens there, untouched, instead.

    const Visual = window.PovertyNewsVisualEditor;
    const modeButton = toolbar ? toolbar.querySelector('[data-mode]') : null;
    const tableTools = toolbar ? toolbar.querySelector('[data-table-tools]') : null;
    const modeNotice = document.getElementById('editor-mode-notice');
    const MODE_KEY = 'povertynews:editor:mode';
    const markdownHint = document.getElementById('body-markdown-hint');
    let visual = null;
    let writingBody = false; // the visual editor is writing the textarea (not a change to load into it)

    function setHidden(element, hidden) {
        if (element) {
            element.hidden = hidden;
        }
    }

    function showModeNotice(text) {
        if (modeNotice) {
            modeNotice.textContent = text;
            modeNotice.hidden = !text;
        }
    }

    function updateToolbar() {
        if (!toolbar) {
            return;
        }
        for (const button of toolbar.querySelectorAll('button[data-format]')) {
            const active = ACTIVE[button.dataset.format];
            if (active) {
                const on = Boolean(visual) && (Array.isArray(active) ? visual.editor.isActive(...active) : visual.editor.isActive(active));
                button.setAttribute('aria-pressed', on ? 'true' : 'false');
            }
        }
        if (tableTools) {
            tableTools.hidden = !(visual && visual.editor.isActive('table'));
        }
    }

    function startVisual() {
        const reasons = Visual.unsupported(body.value);
        if (reasons.length > 0) {
            showModeNotice('这篇正文用到了可视编辑无法显示的格式（' + reasons.join('、') + '），已在 Markdown 源码中打开，以免丢失。');
            return false;
        }
        const host = document.createElement('div');
        host.className = 'visual-editor';
        body.before(host);
        const created = Visual.create(host, body.value, {
            label: 'editor-body-label',
            placeholder: '在这里撰写正文。可以直接粘贴 Word、WPS 或微信文章，也可以粘贴或拖入图片。',
            isSafeUrl,
            onChange: (markdown) => {
                writingBody = true;
                body.value = markdown;
                body.dispatchEvent(new Event('input', { bubbles: true }));
                writingBody = false;
            },
            onSelection: updateToolbar,
            onImageFiles: uploadImages,
            onHtmlPaste: (html) => (window.PovertyNewsPaste ? window.PovertyNewsPaste.toMarkdown(html) : null),
        });
        // Emphasis the browser-side parser could not read (left as asterisks) would be saved escaped: keep the text.
        if (/\*\*|__/.test(created.editor.getText())) {
            created.destroy();
            host.remove();
            showModeNotice('这篇正文的部分加粗或斜体写法无法在可视编辑中显示，已在 Markdown 源码中打开，以免改变格式。');
            return false;
        }
        visual = created;
        body.hidden = true;
        setHidden(markdownHint, true);
        showModeNotice('');
        if (modeButton) {
            modeButton.setAttribute('aria-pressed', 'false');
            modeButton.title = '切换到 Markdown 源码编辑';
        }
        updateToolbar();
        return true;
    }

    function stopVisual() {
        if (!visual) {
            return;
        }
        const host = visual.editor.view.dom.parentElement;
        visual.destroy();
        host.remove();
        visual = null;
        body.hidden = false;
        setHidden(markdownHint, false);
        if (modeButton) {
            modeButton.setAttribute('aria-pressed', 'true');
            modeButton.title = '切换到可视编辑';
        }
        updateToolbar();
    }

    function rememberMode(mode) {
        try {
            window.localStorage.setItem(MODE_KEY, mode);
        } catch {
            // not remembered: the visual editor next time
        }
    }

    if (Visual && body && toolbar) {
        let wanted = 'visual';
        try {
            wanted = window.localStorage.getItem(MODE_KEY) || 'visual';
        } catch {
            // as above
        }
        if (wanted !== 'source') {
            startVisual();
        }
        if (modeButton) {
            modeButton.hidden = false;
            modeButton.setAttribute('aria-pressed', visual ? 'false' : 'true');
            modeButton.addEventListener('click', () => {
                if (visual) {
                    stopVisual();
                    rememberMode('source');
                    body.focus();
                } else if (startVisual()) {
                    rememberMode('visual');
                    visual.editor.commands.focus();
                }
            });
        }
        // A change to the text from elsewhere (the copy in this browser restored) is loaded into the visual editor.
        body.addEventListener('input', () => {
            if (visual && !writingBody) {
                visual.setMarkdown(body.value);
            }
        });
        // The media library's picker hands a chosen image over here while the body is edited visually.
        form.addEventListener('editor:insert-image', (event) => {
            if (visual) {
                event.preventDefault();
                visual.insertImage({ src: event.detail.url, alt: event.detail.alt || '' });
                // The picker's dialog gives the focus back to the 图片 button as it closes: the writing goes on here.
                document.getElementById('media-dialog')?.addEventListener('close', () => visual?.editor.commands.focus(), { once: true });
            }
        });
    }

    function insertImage(image, position) {
        if (visual) {
            visual.insertImage(image, position);
            return;
        }
        const start = body.selectionStart;
        const before = start > 0 && body.value[start - 1] !== '\n' ? '\n\n' : '';
        const alt = image.alt.replace(/[\[\]]/g, '\\$&');
        replaceSelection(before + '![' + alt + '](' + image.src.replace(/[()\s]/g, encodeURIComponent) + ')\n\n');
    }

    // ---- Pasted and dropped images ----
    // Each goes to the media library (the same checks as its upload page) after the editor names it: the
    // description becomes the image's alt text, read out by screen readers and shown when it cannot load.

    let imageDialog = null;
    function askImageDescription(file) {
        if (!imageDialog) {
            imageDialog = document.createElement('dialog');
            imageDialog.className = 'editor-dialog';
            imageDialog.setAttribute('aria-labelledby', 'image-dialog-title');
            imageDialog.innerHTML =
                '<form method="dialog" novalidate>' +
                '<h2 id="image-dialog-title">上传图片到媒体库</h2>' +
                '<img class="editor-dialog__image" alt="">' +
                '<p class="field"><label for="image-dialog-alt">图片说明</label>' +
                '<input id="image-dialog-alt" type="text" maxlength="200" autocomplete="off" aria-describedby="image-dialog-hint image-dialog-error">' +
                '<span class="field-hint" id="image-dialog-hint">用一句话说明图片内容，供读屏软件朗读，图片无法显示时也显示这句话。</span></p>' +
                '<p class="field-error" id="image-dialog-error" role="alert"></p>' +
                '<p class="actions"><button type="submit" class="button button--primary">上传并插入</button> ' +
                '<button type="button" class="button" data-cancel>取消</button></p>' +
                '</form>';
            form.after(imageDialog);
        }
        const image = imageDialog.querySelector('img');
        const input = imageDialog.querySelector('#image-dialog-alt');
        const error = imageDialog.querySelector('#image-dialog-error');
        const address = URL.createObjectURL(file);
        image.src = address;
        const name = (file.name || '').replace(/\.[^.]+$/, '');
        input.value = /^(image|img|图片|截图|屏幕截图)?[\d_ -]*$/i.test(name) ? '' : name;
        error.textContent = '';
        input.removeAttribute('aria-invalid');
        return new Promise((resolve) => {
            const dialogForm = imageDialog.querySelector('form');
            const cancel = imageDialog.querySelector('[data-cancel]');
            function finish(value) {
                dialogForm.removeEventListener('submit', submit);
                cancel.removeEventListener('click', onCancel);
                imageDialog.removeEventListener('cancel', onCancel);
                imageDialog.close();
                URL.revokeObjectURL(address);
                resolve(value);
            }
            function submit(event) {
                event.preventDefault();
                const alt = input.value.trim();
                if (!alt) {
                    error.textContent = '请填写图片说明。';
                    input.setAttribute('aria-invalid', 'true');
                    input.focus();
                    return;
                }
                finish(alt);
            }
            function onCancel(event) {
                event.preventDefault();
                finish(null);
            }
            dialogForm.addEventListener('submit', submit);
            cancel.addEventListener('click', onCancel);
            imageDialog.addEventListener('cancel', onCancel);
            imageDialog.showModal();
            input.focus();
        });
    }

    async function uploadImages(files, position) {
        for (const file of files) {
            const alt = await askImageDescription(file);
            if (alt === null) {
                continue;
            }
            setStatus('正在上传图片…', false);
            const data = new FormData();
            data.append('File', file, file.name || 'image.png');
            data.append('AltText', alt);
            data.append('__RequestVerificationToken', token);
            try {
                const response = await fetch(form.dataset.uploadUrl, {
                    method: 'POST',
                    body: data,
                    headers: { Accept: 'application/json' },
                    credentials: 'same-origin',
                });
                const result = await response.json().catch(() => ({}));
                if (response.ok && result.url) {
                    insertImage({ src: result.url, alt }, position);
                    position = undefined; // the next one goes after this one
                    setStatus(result.duplicate ? '媒体库里已有这张图片，已插入正文。' : '图片已上传到媒体库并插入正文。', false);
                } else if (response.redirected) {
                    setStatus('登录已过期，图片没有上传。请在新窗口重新登录后再试。', true);
                } else {
                    setStatus(result.message || '图片上传失败（' + response.status + '）。', true);
                }
            } catch {
                setStatus('图片上传失败，请检查网络后重试。', true);
            }
        }
    }

    // ---- Paste ----
    // HTML from Word, WPS, a WeChat article or a web page arrives as clean Markdown (js/dist/paste.js, turndown from
    // npm): headings, lists, tables, bold and links stay; fonts, colours and spans go. Plain text pastes as it is.
    body.addEventListener('paste', (event) => {
        const data = event.clipboardData;
        const html = data ? data.getData('text/html') : '';
        const images = data && !html ? [...data.files].filter((file) => file.type.startsWith('image/')) : [];
        if (images.length > 0 && form.dataset.uploadUrl) {
            event.preventDefault();
            uploadImages(images);
            return;
        }
        if (!html || !window.PovertyNewsPaste) {
            return;
        }
        let markdown;
        try {
            markdown = window.PovertyNewsPaste.toMarkdown(html);
        } catch (error) {
            return; // the browser pastes the plain text instead
        }
        event.preventDefault();
        replaceSelection(markdown);
    });

    body.addEventListener('dragover', (event) => {
        if (event.dataTransfer && [...event.dataTransfer.items].some((item) => item.kind === 'file')) {
            event.preventDefault();
        }
    });
    body.addEventListener('drop', (event) => {
        const images = event.dataTransfer ? [...event.dataTransfer.files].filter((file) => file.type.startsWith('image/')) : [];
        if (images.length > 0 && form.dataset.uploadUrl) {
            event.preventDefault();
            uploadImages(images);
        }
    });

    // ---- Keyboard save, length, and messages that no longer apply ----

    // Ctrl+S (⌘S) saves as the save button does, from any field, instead of the browser's "save page as".
    const saveButton = form.querySelector('.editor-actions button[type="submit"]');
    form.addEventListener('keydown', (event) => {
        if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 's') {
            event.preventDefault();
            if (!event.repeat) {
                form.requestSubmit(saveButton || undefined);
            }
        }
    });

    // 字数 as a Chinese newsroom counts it: every character but spaces, and without the Markdown around the text
    // (the addresses of links and images, and the markers of headings, emphasis, quotes, lists and tables).
    const counter = document.createElement('p');
    counter.className = 'field-hint editor-count';
    counter.id = 'editor-count';
    counter.setAttribute('aria-live', 'off');
    body.insertAdjacentElement('afterend', counter);
    const numbers = new Intl.NumberFormat('zh-CN');
    function countText() {
        const text = body.value
            .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
            .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+/gm, '')
            .replace(/[*_`~|]/g, '')
            .replace(/^[\s:-]+$/gm, '');
        const characters = Array.from(text.replace(/\s+/g, '')).length;
        const han = (text.match(/\p{Script=Han}/gu) || []).length;
        counter.textContent = '正文 ' + numbers.format(characters) + ' 字（其中汉字 ' + numbers.format(han) + ' 个）';
    }
    body.addEventListener('input', countText);
    countText();

    // A message under a field ("请填写标题") was about what was posted; once the field is changed it no longer
    // applies, and the next save checks again.
    form.addEventListener('input', (event) => {
        const field = event.target;
        if (!field.name) {
            return;
        }
        const message = form.querySelector('[data-valmsg-for="' + CSS.escape(field.name) + '"]');
        if (message && message.textContent.trim() !== '') {
            // The same message in the summary above the form goes too, and the summary once it is empty.
            const text = message.textContent.trim();
            const summary = form.querySelector('.form-errors');
            if (summary) {
                summary.querySelectorAll('li').forEach((item) => {
                    if (item.textContent.trim() === text) {
                        item.remove();
                    }
                });
                if (!summary.querySelector('li')) {
                    summary.remove();
                }
            }
            message.textContent = '';
            message.classList.remove('field-validation-error');
            message.classList.add('field-validation-valid');
            field.removeAttribute('aria-invalid');
            field.classList.remove('input-validation-error');
        }
    });

    // ---- Kind: the video fields only matter for a video ----

    const kind = form.querySelector('[data-kind-select]');
    function showVideoFields() {
        const isVideo = kind.value === 'Video';
        form.querySelectorAll('[data-video-field]').forEach((field) => {
            // A filled field stays visible, so nothing that will be saved is hidden.
            const input = field.querySelector('input');
            field.hidden = !isVideo && !(input && input.value);
        });
    }
    if (kind) {
        kind.addEventListener('change', showVideoFields);
        showVideoFields();
    }

    // ---- Live preview ----

    let previewTimer = 0;
    let previewRequest = null;

    function showPreviewMessage(text) {
        const p = document.createElement('p');
        p.className = 'editor-preview__error';
        p.textContent = text;
        preview.replaceChildren(p);
    }

    async function renderPreview() {
        if (previewRequest) {
            previewRequest.abort();
        }
        const controller = new AbortController();
        previewRequest = controller;
        try {
            const response = await fetch(form.dataset.previewUrl, {
                method: 'POST',
                headers: { RequestVerificationToken: token },
                body: new URLSearchParams({ Markdown: body.value }),
                credentials: 'same-origin',
                signal: controller.signal,
            });
            const text = await response.text();
            if (response.redirected) {
                showPreviewMessage('登录已过期，请在新窗口重新登录后再继续。');
            } else if (response.ok) {
                // The server renders and sanitises the fragment exactly as it does when the article is saved.
                preview.innerHTML = text;
            } else if (response.status === 400 && !response.headers.get('content-type')?.includes('html')) {
                showPreviewMessage(text);
            } else if (response.status === 429) {
                // Too many previews at once on the server: say so, and ask again after the time it names, unless
                // typing has scheduled a newer preview by then (the same timer).
                showPreviewMessage(response.headers.get('content-type')?.includes('text/plain') ? text : '预览请求较多，稍后会自动重试。');
                const seconds = Number.parseInt(response.headers.get('retry-after') || '', 10);
                window.clearTimeout(previewTimer);
                previewTimer = window.setTimeout(renderPreview, Math.min(Math.max(Number.isNaN(seconds) ? 2 : seconds, 1), 30) * 1000);
            } else {
                showPreviewMessage('预览暂时不可用（' + response.status + '）。');
            }
        } catch (error) {
            if (error.name !== 'AbortError') {
                showPreviewMessage('预览暂时不可用，请检查网络。');
            }
        } finally {
            if (previewRequest === controller) {
                previewRequest = null;
            }
        }
    }

    if (body && preview && form.dataset.previewUrl) {
        body.addEventListener('input', () => {
            window.clearTimeout(previewTimer);
            previewTimer = window.setTimeout(renderPreview, PREVIEW_DELAY);
        });
        if (body.value.trim()) {
            renderPreview();
        }
    }

    // ---- Unsaved changes and autosave ----

    // The form's content without the token and the version, which change without the editor typing anything.
    function snapshot() {
        const data = new FormData(form);
        data.delete('__RequestVerificationToken');
        data.delete('Input.Version');
        return new URLSearchParams(data).toString();
    }

    let saved = snapshot();
    let submitting = false;
    let autosaving = null; // the autosave request in flight, if any
    let autosaveStopped = false;

    function setStatus(text, isError) {
        if (status) {
            status.textContent = text;
            status.classList.toggle('editor-status--error', Boolean(isError));
        }
    }

    function autosave() {
        if (autosaving || autosaveStopped || submitting || snapshot() === saved) {
            return;
        }
        autosaving = sendAutosave().finally(() => {
            autosaving = null;
        });
    }

    async function sendAutosave() {
        const current = snapshot();
        try {
            const response = await fetch(form.dataset.autosaveUrl, {
                method: 'POST',
                headers: { RequestVerificationToken: token, Accept: 'application/json' },
                body: new FormData(form),
                credentials: 'same-origin',
            });
            const result = await response.json().catch(() => ({}));
            if (response.ok && result.version) {
                saved = current;
                if (snapshot() === current) {
                    dropCopy(); // the server has exactly this text now
                }
                if (versionInput && result.version) {
                    versionInput.value = result.version;
                }
                // Replace-words were masked in the saved copy; the text here keeps them until the page is reloaded.
                const replaced = result.replaced ? ' ' + result.replaced + '保存或刷新后显示替换后的文字。' : '';
                setStatus('已自动保存 ' + (result.savedAtText || '') + replaced, false);
            } else if (response.status === 409) {
                autosaveStopped = true;
                setStatus(result.message || '他人已修改这篇稿件，自动保存已暂停。', true);
            } else if (response.redirected) {
                setStatus('登录已过期，未能自动保存。请在新窗口重新登录后手动保存。', true);
            } else {
                setStatus(result.message || '自动保存失败（' + response.status + '），请手动保存。', true);
            }
        } catch {
            setStatus('自动保存失败，请检查网络后手动保存。', true);
        }
    }

    if (form.dataset.autosaveUrl) {
        window.setInterval(autosave, AUTOSAVE_INTERVAL);
    }

    form.addEventListener('submit', (event) => {
        submitting = true;
        writeCopy(true);
        if (autosaving) {
            // Wait for the autosave to answer, so the form posts the version it produced rather than conflicting with it.
            event.preventDefault();
            autosaving.then(() => form.submit());
        }
    });

    // ---- Copy in this browser ----
    // The text also stays in localStorage until the server is known to have it, so a save that never reached the
    // server (network down, the server unavailable, a closed tab, a crash) leaves a copy the next visit offers back.
    // A 503 (disk full, database busy) re-renders the posted form with its message: the text is on the page, and the
    // copy stays until a save succeeds.

    function readCopy() {
        try {
            return JSON.parse(window.localStorage.getItem(LOCAL_KEY) || 'null');
        } catch {
            return null;
        }
    }

    function writeCopy(submitted) {
        try {
            window.localStorage.setItem(LOCAL_KEY, JSON.stringify({ text: snapshot(), at: Date.now(), submitted }));
        } catch {
            // Storage full or disabled: the server's copy is what counts.
        }
    }

    function dropCopy(key) {
        try {
            window.localStorage.removeItem(key || LOCAL_KEY);
        } catch {
            // as above
        }
    }

    function restoreCopy(text) {
        const values = new URLSearchParams(text);
        for (const element of form.elements) {
            if (!element.name || !values.has(element.name) || element.type === 'file' || element.name === 'Input.Version'
                || element.name === '__RequestVerificationToken') {
                continue;
            }
            if (element.type === 'checkbox' || element.type === 'radio') {
                element.checked = values.getAll(element.name).includes(element.value);
            } else {
                element.value = values.get(element.name);
            }
            element.dispatchEvent(new Event('input', { bubbles: true }));
        }
    }

    function offerCopy(copy) {
        const notice = document.createElement('div');
        notice.className = 'editor-notice editor-local-copy';
        notice.setAttribute('role', 'status');
        const time = new Date(copy.at).toLocaleString('zh-CN', { hour12: false });
        const text = document.createElement('p');
        text.textContent = '这台电脑上保存有一份 ' + time + ' 的稿件副本，与下面的内容不同，可能没有保存到服务器。';
        const restore = document.createElement('button');
        restore.type = 'button';
        restore.className = 'button button--primary';
        restore.textContent = '恢复副本';
        restore.addEventListener('click', () => {
            restoreCopy(copy.text);
            writeCopy(false);
            notice.remove();
            setStatus('已恢复本机副本，尚未保存。', false);
        });
        const discard = document.createElement('button');
        discard.type = 'button';
        discard.className = 'button';
        discard.textContent = '丢弃副本';
        discard.addEventListener('click', () => {
            dropCopy();
            notice.remove();
        });
        notice.append(text, restore, ' ', discard);
        form.before(notice);
    }

    const LOCAL_KEY = 'povertynews:editor:' + window.location.pathname;
    const NEW_KEY = 'povertynews:editor:/admin/articles/new';
    const failed = Boolean(form.querySelector('.form-errors'));
    const succeeded = !failed && Boolean(document.querySelector('.flash'));
    if (succeeded) {
        // A save just went through (the page after its redirect): the copy it left is the server's now, and so is a
        // new article's, which continues here.
        for (const key of [LOCAL_KEY, NEW_KEY]) {
            try {
                if (JSON.parse(window.localStorage.getItem(key) || 'null')?.submitted) {
                    dropCopy(key);
                }
            } catch {
                // as above
            }
        }
    }
    const copy = readCopy();
    if (copy && copy.text !== snapshot()) {
        offerCopy(copy);
    } else if (copy && failed) {
        writeCopy(false); // the save this page answers did not happen: keep the copy as not yet sent
    } else if (copy && !copy.submitted) {
        dropCopy(); // the same text as the server's
    }
    let copyTimer = null;
    form.addEventListener('input', () => {
        window.clearTimeout(copyTimer);
        copyTimer = window.setTimeout(() => {
            if (!submitting) {
                writeCopy(false); // once posted, the copy stays marked as sent until the answer says how it went
            }
        }, 1000);
    });

    window.addEventListener('beforeunload', (event) => {
        if (!submitting && snapshot() !== saved) {
            event.preventDefault();
            event.returnValue = '';
        }
    });
})();
