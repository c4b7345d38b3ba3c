// A little JavaScript where it makes pages better; every page works without it.
document.addEventListener('DOMContentLoaded', function () {
  // Confirm before destructive actions (forms marked data-confirm).
  document.querySelectorAll('form[data-confirm]').forEach(function (f) {
    f.addEventListener('submit', function (e) {
      if (!window.confirm(f.getAttribute('data-confirm'))) e.preventDefault();
    });
  });

  // Work-order clocks: the server wrote the deadline and its own "now" (Unix
  // seconds); count down every second against the server's clock, so a test
  // clock or a wrong phone clock does not matter.
  var clocks = document.querySelectorAll('.countdown[data-deadline]');
  if (!clocks.length) return;
  var skew = Number(clocks[0].getAttribute('data-now')) - Date.now() / 1000;
  function span(s) {
    s = Math.floor(Math.abs(s));
    var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600);
    var m = Math.floor((s % 3600) / 60), sec = s % 60;
    return (d ? d + '天' : '') + (d || h ? h + '小时' : '') + m + '分' + sec + '秒';
  }
  function tick() {
    var now = Date.now() / 1000 + skew;
    clocks.forEach(function (c) {
      var left = Number(c.getAttribute('data-deadline')) - now;
      c.textContent = (left >= 0 ? '剩余' : '已超') + span(left);
      var li = c.closest('.clock');
      if (left < 0 && li && !li.classList.contains('breached')) {
        li.classList.add('breached');
        var b = document.createElement('span');
        b.className = 'badge';
        b.textContent = '超时';
        c.parentNode.insertBefore(b, c);
        var w = li.querySelector('.badge.warn');
        if (w) w.remove();
      }
    });
  }
  tick();
  setInterval(tick, 1000);
});
