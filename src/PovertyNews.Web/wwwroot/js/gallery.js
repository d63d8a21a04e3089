// 图集 on the reader's page (Pages/Articles/_Gallery.cshtml). Without this script the gallery is a list of figures;
// with it, a strip of one picture at a time that scrolls sideways and snaps (CSS scroll snap does the swiping), the
// counter "3/12" and a status line for screen readers, 上一张/下一张, and the arrow keys, Home and End.
(() => {
    'use strict';

    for (const gallery of document.querySelectorAll('[data-gallery]')) {
        const track = gallery.querySelector('[data-gallery-track]');
        const slides = [...gallery.querySelectorAll('[data-gallery-slide]')];
        const controls = gallery.querySelector('[data-gallery-controls]');
        const prev = gallery.querySelector('[data-gallery-prev]');
        const next = gallery.querySelector('[data-gallery-next]');
        const counter = gallery.querySelector('[data-gallery-counter]');
        const status = gallery.querySelector('[data-gallery-status]');
        if (!track || slides.length === 0 || !controls) {
            continue;
        }
        gallery.classList.add('gallery--viewer');
        controls.hidden = false;
        // The strip scrolls, so keyboard users must be able to reach it (and then use the arrow keys).
        track.tabIndex = 0;
        let current = -1;

        function indexNow() {
            const width = track.clientWidth || 1;
            return Math.max(0, Math.min(slides.length - 1, Math.round(Math.abs(track.scrollLeft) / width)));
        }

        function show(index) {
            if (index === current) {
                return;
            }
            current = index;
            counter.textContent = (index + 1) + '/' + slides.length;
            status.textContent = '第' + (index + 1) + '张，共' + slides.length + '张';
            prev.setAttribute('aria-disabled', index === 0 ? 'true' : 'false');
            next.setAttribute('aria-disabled', index === slides.length - 1 ? 'true' : 'false');
            // Pictures further on load as they come near, not all at once.
            for (const slide of slides.slice(index, index + 2)) {
                const img = slide.querySelector('img[loading="lazy"]');
                if (img) {
                    img.loading = 'eager';
                }
            }
        }

        // While a move asked for by a button or key scrolls (smoothly) to its picture, the pictures it passes do not
        // count: the counter shows the destination at once, and the next press goes on from there.
        let moving = null;
        let movingTimer = 0;

        function settle() {
            moving = null;
            window.clearTimeout(movingTimer);
            show(indexNow());
        }

        function go(index) {
            const target = Math.max(0, Math.min(slides.length - 1, index));
            if (Math.abs(track.scrollLeft - target * track.clientWidth) < 2) {
                show(target);
                return;
            }
            moving = target;
            window.clearTimeout(movingTimer);
            movingTimer = window.setTimeout(settle, 1500); // a browser without scrollend, or a scroll cut short
            track.scrollTo({ left: target * track.clientWidth });
            show(target);
        }

        let frame = 0;
        track.addEventListener('scroll', () => {
            if (!frame) {
                frame = requestAnimationFrame(() => {
                    frame = 0;
                    if (moving === null) {
                        show(indexNow());
                    } else if (Math.abs(track.scrollLeft - moving * track.clientWidth) < 2) {
                        settle();
                    }
                });
            }
        }, { passive: true });
        track.addEventListener('scrollend', () => {
            if (moving !== null) {
                settle();
            }
        });
        // The strip's width changes with the window; stay on the same picture.
        window.addEventListener('resize', () => {
            if (current >= 0) {
                track.scrollTo({ left: current * track.clientWidth, behavior: 'instant' });
            }
        });

        prev.addEventListener('click', () => go(current - 1));
        next.addEventListener('click', () => go(current + 1));
        gallery.addEventListener('keydown', (event) => {
            if (event.altKey || event.ctrlKey || event.metaKey || event.target.closest('input, textarea, select')) {
                return;
            }
            const moves = { ArrowLeft: current - 1, ArrowRight: current + 1, Home: 0, End: slides.length - 1 };
            if (event.key in moves) {
                event.preventDefault();
                go(moves[event.key]);
            }
        });
        // A link in a caption that gets the focus brings its picture into view.
        track.addEventListener('focusin', (event) => {
            const slide = event.target.closest('[data-gallery-slide]');
            if (slide) {
                go(slides.indexOf(slide));
            }
        });
        show(indexNow());
        gallery.dataset.ready = 'true';
    }
})();
