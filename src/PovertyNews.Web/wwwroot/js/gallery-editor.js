// The 图集 panel of the article editor. While the kind is 图集 it lists the gallery's pictures, each with its text
// alternative and caption, to add (from the media library's picker), reorder and remove. It keeps no state of its own
// beyond the body: every change is written into the body's textarea in the form described in
// Markdown/GalleryMarkdown.cs (an optional introduction; then per picture a line "![替代文字](/media/…)" and its
// caption paragraphs), so saving, autosave, the preview, review and the revision diffs work as for any article, and
// without JavaScript the same text is edited by hand. Edits made in the body are read back into the panel.
(() => {
    'use strict';

    const form = document.getElementById('article-form');
    const panel = form && form.querySelector('[data-gallery-editor]');
    const body = form && form.querySelector('textarea[name="Input.Body"]');
    const kind = form && form.querySelector('[data-kind-select]');
    if (!panel || !body || !kind) {
        return;
    }
    const list = panel.querySelector('[data-gallery-items]');
    const empty = panel.querySelector('[data-gallery-empty]');
    const announce = panel.querySelector('[data-gallery-announce]');
    const bodyHint = form.querySelector('[data-gallery-body-hint]');

    // ---- The canonical form, as GalleryMarkdown.Parse and Write read and write it ----

    const IMAGE = /^ {0,3}!\[((?:\\.|[^\\\]])*)\]\(\s*(?:<([^>\n]*)>|([^\s)]+))(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)\s*$/;

    function parse(text) {
        const lines = text.replace(/\r\n?/g, '\n').split('\n');
        const pictures = [];
        let inFence = false;
        for (let i = 0; i < lines.length; i++) {
            if (/^ {0,3}(```|~~~)/.test(lines[i])) {
                inFence = !inFence;
            }
            // A picture is a line of its own between blank lines (or the start or end of the text).
            const alone = (i === 0 || !lines[i - 1].trim()) && (i === lines.length - 1 || !lines[i + 1].trim());
            const match = !inFence && alone && IMAGE.exec(lines[i]);
            if (match) {
                pictures.push({ line: i, url: match[2] !== undefined ? match[2] : match[3], alt: unescapeAlt(match[1]) });
            }
        }
        const slice = (from, to) => lines.slice(from, to).join('\n').replace(/^[\n \t]+|[\n \t]+$/g, '');
        const intro = slice(0, pictures.length ? pictures[0].line : lines.length);
        const items = pictures.map((p, i) => ({
            url: p.url,
            alt: p.alt,
            caption: slice(p.line + 1, i + 1 < pictures.length ? pictures[i + 1].line : lines.length),
        }));
        return { intro, items };
    }

    function unescapeAlt(alt) {
        return alt.replace(/\\([!-/:-@[-`{-~])/g, '$1').trim();
    }

    function escapeAlt(alt) {
        return alt.trim().replace(/\s+/g, ' ').replace(/[\\`*_[\]<>&~^+="!#|{}]/g, '\\$&');
    }

    function escapeUrl(url) {
        return url.trim().replace(/[ ()<>]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase()).replace(/\s/g, '');
    }

    function write(gallery) {
        const parts = [];
        const trim = (text) => (text || '').replace(/\r\n?/g, '\n').replace(/^[\n \t]+|[\n \t]+$/g, '');
        if (trim(gallery.intro)) {
            parts.push(trim(gallery.intro));
        }
        for (const item of gallery.items) {
            parts.push('![' + escapeAlt(item.alt) + '](' + escapeUrl(item.url) + ')');
            if (trim(item.caption)) {
                parts.push(trim(item.caption));
            }
        }
        return parts.length ? parts.join('\n\n') + '\n' : '';
    }

    // ---- The panel ----

    let gallery = parse(body.value);
    let writing = false;

    function save() {
        writing = true;
        body.value = write(gallery);
        body.dispatchEvent(new Event('input', { bubbles: true }));
        body.dispatchEvent(new Event('change', { bubbles: true }));
        writing = false;
    }

    function field(tag, id, label, value, attributes) {
        const wrap = document.createElement('p');
        wrap.className = 'field';
        const labelElement = document.createElement('label');
        labelElement.htmlFor = id;
        labelElement.textContent = label;
        const input = document.createElement(tag);
        input.id = id;
        input.value = value;
        Object.entries(attributes).forEach(([name, v]) => input.setAttribute(name, v));
        wrap.append(labelElement, input);
        return wrap;
    }

    function button(text, action, index, label, disabled) {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'button gallery-editor__button';
        b.textContent = text;
        b.dataset.action = action;
        b.dataset.index = String(index);
        b.setAttribute('aria-label', label);
        if (disabled) {
            b.disabled = true;
        }
        return b;
    }

    function render(focus) {
        const count = gallery.items.length;
        list.replaceChildren(...gallery.items.map((item, i) => {
            const li = document.createElement('li');
            li.className = 'gallery-editor__item';
            const thumb = document.createElement('img');
            thumb.className = 'gallery-editor__thumb';
            thumb.src = item.url;
            thumb.alt = '';
            thumb.width = 120;
            thumb.height = 90;
            thumb.loading = 'lazy';
            const number = document.createElement('p');
            number.className = 'gallery-editor__number';
            number.textContent = '第 ' + (i + 1) + ' 张，共 ' + count + ' 张';
            const buttons = document.createElement('p');
            buttons.className = 'gallery-editor__buttons';
            buttons.append(
                button('上移', 'up', i, '上移第 ' + (i + 1) + ' 张', i === 0),
                button('下移', 'down', i, '下移第 ' + (i + 1) + ' 张', i === count - 1),
                button('删除', 'remove', i, '删除第 ' + (i + 1) + ' 张', false));
            const head = document.createElement('div');
            head.className = 'gallery-editor__head';
            head.append(thumb, number, buttons);
            const alt = field('input', 'gallery-alt-' + i, '替代文字（必填）', item.alt,
                { type: 'text', maxlength: '200', 'data-field': 'alt', 'data-index': String(i), required: '' });
            if (!item.alt.trim()) {
                alt.querySelector('input').setAttribute('aria-invalid', 'true');
            }
            const caption = field('textarea', 'gallery-caption-' + i, '图片说明', item.caption,
                { rows: '3', 'data-field': 'caption', 'data-index': String(i) });
            li.append(head, alt, caption);
            return li;
        }));
        empty.hidden = count > 0;
        if (focus) {
            const target = list.querySelector(focus);
            (target && !target.disabled ? target : panel.querySelector('[data-media-open]'))?.focus();
        }
    }

    function say(text) {
        announce.textContent = '';
        // A new text each time, so the same words twice are announced twice.
        window.setTimeout(() => { announce.textContent = text; }, 50);
    }

    list.addEventListener('input', (event) => {
        const target = event.target;
        const index = Number(target.dataset.index);
        if (!target.dataset.field || !gallery.items[index]) {
            return;
        }
        gallery.items[index][target.dataset.field] = target.value;
        if (target.dataset.field === 'alt') {
            if (target.value.trim()) {
                target.removeAttribute('aria-invalid');
            } else {
                target.setAttribute('aria-invalid', 'true');
            }
        }
        save();
    });

    list.addEventListener('click', (event) => {
        const b = event.target.closest('button[data-action]');
        if (!b) {
            return;
        }
        const i = Number(b.dataset.index);
        const items = gallery.items;
        if (b.dataset.action === 'remove') {
            items.splice(i, 1);
            save();
            render(items.length ? '[data-action="remove"][data-index="' + Math.min(i, items.length - 1) + '"]' : '[data-none]');
            say('已删除第 ' + (i + 1) + ' 张，还有 ' + items.length + ' 张。');
            return;
        }
        const j = b.dataset.action === 'up' ? i - 1 : i + 1;
        if (j < 0 || j >= items.length) {
            return;
        }
        [items[i], items[j]] = [items[j], items[i]];
        save();
        // The focus follows the picture to its new place, on the same button while it can still move that way.
        const again = b.dataset.action === 'up' ? (j > 0 ? 'up' : 'down') : (j < items.length - 1 ? 'down' : 'up');
        render('[data-action="' + again + '"][data-index="' + j + '"]');
        say('已移到第 ' + (j + 1) + ' 张。');
    });

    form.addEventListener('gallery:add-image', (event) => {
        const { url, alt } = event.detail;
        gallery.items.push({ url, alt: alt || '', caption: '' });
        save();
        render(null);
        const index = gallery.items.length - 1;
        say('已添加第 ' + (index + 1) + ' 张。');
        // The picker's dialog is still open (the page behind it is inert): focus the new fields once it has closed.
        const target = list.querySelector('[data-field="' + (alt ? 'caption' : 'alt') + '"][data-index="' + index + '"]');
        const dialog = document.getElementById('media-dialog');
        if (dialog && dialog.open) {
            dialog.addEventListener('close', () => target?.focus(), { once: true });
        } else {
            target?.focus();
        }
    });

    // Edits in the body itself (by hand, the visual editor, a restored copy) come back into the panel.
    body.addEventListener('input', () => {
        if (writing) {
            return;
        }
        const next = parse(body.value);
        if (write(next) === write(gallery)) {
            gallery = next;
            return;
        }
        gallery = next;
        if (!panel.hidden) {
            render(null);
        }
    });

    function showPanel() {
        const on = kind.value === 'Gallery';
        panel.hidden = !on;
        if (bodyHint) {
            bodyHint.hidden = !on;
        }
        if (on) {
            gallery = parse(body.value);
            render(null);
        }
    }
    kind.addEventListener('change', showPanel);
    showPanel();
    panel.dataset.ready = 'true';
})();
