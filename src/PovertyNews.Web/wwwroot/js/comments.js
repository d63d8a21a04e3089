// The comment form under a report (Pages/Articles/_CommentForm.cshtml). The report's page is cached and the same for
// every reader, so its form carries no "rendered at" stamp; this asks for the reader's own when they start writing,
// and the minimum time before posting counts from then. Without this script the form still works: the server shows
// the comment again on the form page with a stamp, and a second click sends it.
(() => {
    'use strict';

    const input = document.querySelector('#comment-form input[data-stamp-url]');
    if (!input) {
        return;
    }
    let asked = false;
    const ask = async () => {
        if (asked) {
            return;
        }
        asked = true;
        try {
            const response = await fetch(input.dataset.stampUrl, { credentials: 'same-origin', cache: 'no-store' });
            if (response.ok) {
                input.value = (await response.text()).trim();
            } else {
                asked = false;
            }
        } catch {
            asked = false;
        }
    };
    input.form.addEventListener('focusin', ask);
    input.form.addEventListener('input', ask);
})();
