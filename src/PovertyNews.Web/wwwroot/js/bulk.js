// 批量操作 on the article list and the staff search: select all, the count of selected reports, and only the field the
// chosen action needs. Without scripts every field shows and the server checks the same (nothing selected, too many,
// no reason), answering with the reason.
(() => {
    'use strict';
    const form = document.getElementById('bulk-form');
    const bar = document.getElementById('bulk-bar');
    if (!form || !bar) {
        return;
    }
    const max = 200;
    const all = form.querySelector('[data-bulk-all]');
    const boxes = () => [...form.querySelectorAll('input[name="Input.Ids"]')];
    const count = bar.querySelector('[data-bulk-count]');
    const action = document.getElementById('bulk-action');
    const idle = count.textContent;

    const selected = () => boxes().filter(b => b.checked).length;
    const update = () => {
        const n = selected();
        count.textContent = n === 0 ? idle : `已选 ${n} 篇` + (n > max ? `，超过一次最多 ${max} 篇` : '');
        if (all) {
            const total = boxes().length;
            all.checked = n > 0 && n === total;
            all.indeterminate = n > 0 && n < total;
        }
    };
    const show = () => {
        for (const field of bar.querySelectorAll('[data-bulk-for]')) {
            const on = field.dataset.bulkFor.split(' ').includes(action.value);
            field.hidden = !on;
            const input = field.querySelector('input, select');
            input.required = on;
        }
    };

    all?.addEventListener('change', () => {
        for (const box of boxes()) {
            box.checked = all.checked;
        }
        update();
    });
    form.addEventListener('change', e => {
        if (e.target.name === 'Input.Ids') {
            update();
        }
    });
    action.addEventListener('change', show);
    form.addEventListener('submit', e => {
        const n = selected();
        if (n === 0 || n > max) {
            e.preventDefault();
            count.textContent = n === 0 ? '请先勾选要处理的稿件。' : `一次最多处理 ${max} 篇稿件，您选了 ${n} 篇。`;
            count.focus?.();
            return;
        }
        const label = action.options[action.selectedIndex].text;
        if ((action.value === 'Withdraw' || action.value === 'Recycle') && !window.confirm(`确定对选中的 ${n} 篇稿件执行“${label}”？`)) {
            e.preventDefault();
        }
    });
    show();
    update();
})();
