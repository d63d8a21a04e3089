// The article editor's image picker: a dialog that shows the media library (search, pages, upload) and puts the
// chosen image into the cover field, the video poster field or the body as Markdown. Other forms (a 专题's banner)
// take it too: a form marked data-media-form with fields marked data-media-field="cover" and "cover-alt". Without it, the editor's
// fields still take any URL and the library page shows each image's address and Markdown to copy.
(() => {
    'use strict';

    const dialog = document.getElementById('media-dialog');
    const form = document.getElementById('article-form') || document.querySelector('form[data-media-form]');
    if (!dialog || !form || typeof dialog.showModal !== 'function' || !window.fetch) {
        return;
    }
    const content = dialog.querySelector('[data-media-body]');
    const title = document.getElementById('media-dialog-title');
    const fields = {
        cover: form.querySelector('[name="Input.CoverImageUrl"], [data-media-field="cover"]'),
        coverAlt: form.querySelector('[name="Input.CoverImageAlt"], [data-media-field="cover-alt"]'),
        poster: form.querySelector('[name="Input.VideoPosterUrl"]'),
        body: form.querySelector('textarea[name="Input.Body"]'),
    };
    const titles = { cover: '选择封面图', poster: '选择视频封面', body: '插入正文图片', gallery: '添加图集图片' };
    let mode = 'cover';
    let returnFocus = null;
    let loaded = false;

    function message(target, text) {
        const p = document.createElement('p');
        p.textContent = text;
        target.replaceChildren(p);
    }

    async function load(url) {
        content.setAttribute('aria-busy', 'true');
        try {
            const response = await fetch(url, { credentials: 'same-origin' });
            if (response.redirected) {
                message(content, '登录已过期，请在新窗口重新登录后再打开媒体库。');
            } else if (!response.ok) {
                message(content, '媒体库暂时打不开（' + response.status + '）。');
            } else {
                // Our own page, rendered and encoded by the server; it carries no scripts.
                content.innerHTML = await response.text();
                loaded = true;
            }
        } catch {
            message(content, '媒体库暂时打不开，请检查网络。');
        } finally {
            content.removeAttribute('aria-busy');
        }
    }

    function open(newMode, opener) {
        mode = newMode;
        returnFocus = opener || null;
        title.textContent = titles[mode] || '媒体库';
        if (!loaded) {
            message(content, '正在载入…');
            load(dialog.dataset.pickerUrl);
        }
        dialog.showModal();
    }

    function changed(field) {
        field.dispatchEvent(new Event('input', { bubbles: true }));
        field.dispatchEvent(new Event('change', { bubbles: true }));
    }

    function showCoverPreview(url) {
        const pick = form.querySelector('[data-media-pick]');
        let preview = form.querySelector('[data-cover-preview]');
        if (!pick) {
            return;
        }
        if (!preview) {
            preview = document.createElement('img');
            preview.className = 'media-pick__preview';
            preview.dataset.coverPreview = '';
            preview.alt = '封面图预览';
            pick.prepend(preview);
        }
        preview.src = url;
    }

    function use(item) {
        // The visual editor, when it is on, takes the image itself (editor.js cancels the event).
        const takenByEditor = mode === 'body' && !form.dispatchEvent(new CustomEvent('editor:insert-image', { cancelable: true, detail: item }));
        if (takenByEditor) {
            returnFocus = null;
        } else if (mode === 'gallery') {
            // The 图集 panel (gallery-editor.js) adds the picture and puts the focus on its fields once this closes.
            form.dispatchEvent(new CustomEvent('gallery:add-image', { detail: item }));
            returnFocus = null;
        } else if (mode === 'body' && fields.body) {
            const body = fields.body;
            const start = body.selectionStart;
            const before = start > 0 && body.value[start - 1] !== '\n' ? '\n\n' : '';
            body.focus();
            body.setRangeText(before + item.markdown + '\n\n', start, body.selectionEnd, 'end');
            changed(body);
        } else if (mode === 'poster' && fields.poster) {
            fields.poster.value = item.url;
            changed(fields.poster);
        } else if (fields.cover) {
            fields.cover.value = item.url;
            changed(fields.cover);
            if (fields.coverAlt && !fields.coverAlt.value.trim() && item.alt) {
                fields.coverAlt.value = item.alt;
                changed(fields.coverAlt);
            }
            showCoverPreview(item.url);
        }
        // Closing returns the focus to the field that changed, so keyboard users continue where the image went.
        if (!takenByEditor && mode !== 'gallery') {
            returnFocus = (mode === 'body' ? fields.body : mode === 'poster' ? fields.poster : fields.cover) || returnFocus;
        }
        dialog.close();
    }

    async function upload(uploadForm) {
        const errors = uploadForm.querySelector('.form-errors');
        const input = uploadForm.querySelector('input[type=file]');
        const file = input && input.files && input.files[0];
        if (!file) {
            message(errors, '请选择要上传的图片。');
            return;
        }
        if (file.size > Number(uploadForm.dataset.maxBytes)) {
            message(errors, uploadForm.dataset.tooLarge);
            return;
        }
        const button = uploadForm.querySelector('button[type=submit]');
        button.disabled = true;
        message(errors, '正在上传并处理图片…');
        try {
            const response = await fetch(uploadForm.action, {
                method: 'POST',
                body: new FormData(uploadForm),
                headers: { Accept: 'application/json' },
                credentials: 'same-origin',
            });
            const result = await response.json().catch(() => ({}));
            if (response.ok && result.url) {
                errors.replaceChildren();
                loaded = false; // the list now has the new image
                use(result);
            } else {
                message(errors, result.message || '上传失败（' + response.status + '）。');
            }
        } catch {
            message(errors, '上传失败，请检查网络后重试。');
        } finally {
            button.disabled = false;
        }
    }

    content.addEventListener('click', (event) => {
        const pick = event.target.closest('[data-pick-url]');
        if (pick) {
            use({ url: pick.dataset.pickUrl, alt: pick.dataset.pickAlt, markdown: pick.dataset.pickMarkdown });
            return;
        }
        const link = event.target.closest('[data-picker-pager] a');
        if (link) {
            event.preventDefault();
            load(link.href);
        }
    });

    content.addEventListener('submit', (event) => {
        const target = event.target;
        if (target.matches('[data-picker-search]')) {
            event.preventDefault();
            load(target.action + '?' + new URLSearchParams(new FormData(target)).toString());
        } else if (target.matches('form.media-upload')) {
            event.preventDefault();
            upload(target);
        }
    });

    dialog.querySelector('[data-media-close]').addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => returnFocus?.focus());
    dialog.addEventListener('media:open', (event) => open(event.detail.mode, fields.body));

    document.querySelectorAll('[data-media-open]').forEach((button) => {
        button.hidden = false;
        button.addEventListener('click', () => open(button.dataset.mediaOpen, button));
    });

    if (fields.cover) {
        fields.cover.addEventListener('change', () => {
            const url = fields.cover.value.trim();
            const preview = form.querySelector('[data-cover-preview]');
            if (url.startsWith('/') || url.startsWith('https://')) {
                showCoverPreview(url);
            } else if (preview) {
                preview.remove();
            }
        });
    }
    dialog.dataset.ready = 'true';
})();
