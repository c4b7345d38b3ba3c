// The organiser's check-in code page (/activities/{id}/code): asks the API
// for the current code every few seconds and shows it; a code changes every
// 30 seconds (core/checkin_code.h). No other page uses this file.
(function () {
  'use strict';
  var box = document.getElementById('checkin-code');
  if (!box) return;
  var id = box.getAttribute('data-activity');
  var codeEl = box.querySelector('[data-code]');
  var statusEl = box.querySelector('[data-status]');
  function refresh() {
    fetch('/api/v1/activities/' + encodeURIComponent(id) + '/code', {credentials: 'same-origin', headers: {Accept: 'application/json'}})
      .then(function (r) { return r.json().then(function (b) { return {ok: r.ok, body: b}; }); })
      .then(function (res) {
        if (res.ok) {
          codeEl.textContent = res.body.code;
          codeEl.hidden = false;
          statusEl.textContent = '签到码 ' + res.body.seconds_left + ' 秒后更换，请参与者在自己手机的活动页面输入。';
          setTimeout(refresh, Math.max(1, Math.min(5, res.body.seconds_left)) * 1000);
        } else {
          codeEl.hidden = true;
          statusEl.textContent = (res.body && res.body.error && res.body.error.message) || '暂时无法获取签到码';
          setTimeout(refresh, 15000);
        }
      })
      .catch(function () {
        statusEl.textContent = '网络连接中断，正在重试…';
        setTimeout(refresh, 5000);
      });
  }
  refresh();
})();
