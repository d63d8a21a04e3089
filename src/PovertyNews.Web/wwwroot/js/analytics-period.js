// 传播数据's period selector: typing a date means a custom range, so the range list follows the dates. Without
// scripts the list is chosen by hand (the hint under the form says so); the server takes the list's value.
(() => {
    'use strict';
    const range = document.getElementById('analytics-range');
    if (!range) {
        return;
    }
    for (const id of ['analytics-from', 'analytics-to']) {
        document.getElementById(id)?.addEventListener('change', () => { range.value = 'custom'; });
    }
})();
