// The media library's pages: refuse an oversized file before it is sent, and copy buttons for the URL and Markdown.
// Everything works without it; the server checks every upload again.
(() => {
    'use strict';

    // ---- Upload: a 200 MB photo is refused here instead of after minutes of uploading ----
    document.querySelectorAll('form.media-upload').forEach((form) => {
        const input = form.querySelector('input[type=file]');
        const errors = form.querySelector('.form-errors');
        const max = Number(form.dataset.maxBytes);
        if (!input || !errors || !max) {
            return;
        }
        function check() {
            const file = input.files && input.files[0];
            const tooLarge = Boolean(file && file.size > max);
            errors.replaceChildren();
            if (tooLarge) {
                const p = document.createElement('p');
                p.textContent = form.dataset.tooLarge;
                errors.append(p);
            }
            return !tooLarge;
        }
        input.addEventListener('change', check);
        form.addEventListener('submit', (event) => {
            if (!check()) {
                event.preventDefault();
                input.focus();
            }
        });
    });

    // ---- Copy buttons ----
    document.querySelectorAll('[data-copy]').forEach((button) => {
        const field = document.getElementById(button.dataset.copy);
        const group = button.closest('[data-copy-group]');
        const status = group && group.querySelector('.media-copy__status');
        if (!field || !navigator.clipboard) {
            return;
        }
        button.hidden = false;
        button.addEventListener('click', async () => {
            try {
                await navigator.clipboard.writeText(field.value);
                if (status) {
                    status.textContent = '已复制到剪贴板。';
                }
            } catch {
                field.select();
                if (status) {
                    status.textContent = '请按 Ctrl+C 复制已选中的内容。';
                }
            }
        });
    });
})();
