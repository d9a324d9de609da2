// The live total of the scoring form: sums the points as they are typed and says whether
// they reach the pass mark with every required criterion met. The server computes the same
// after each save; without JavaScript the saved total is shown instead.
(function () {
  "use strict";
  var form = document.querySelector("form[data-score-form]");
  var live = document.getElementById("live-total");
  if (!form || !live) {
    return;
  }
  var text = document.getElementById("live-total-text");
  var passMark = parseFloat(form.getAttribute("data-pass-mark"));
  var inputs = form.querySelectorAll("input[data-score]");

  function number(value) {
    var parsed = parseFloat(String(value || "").replace(",", "."));
    return isNaN(parsed) ? null : parsed;
  }

  function format(value) {
    return String(Math.round(value * 10) / 10).replace(".", ",");
  }

  function update() {
    var total = 0;
    var unmet = false;
    Array.prototype.forEach.call(inputs, function (input) {
      var points = number(input.value);
      var required = input.getAttribute("data-required") === "1";
      if (points !== null) {
        total += points;
      }
      if (required && (points === null || points < number(input.getAttribute("data-meet")))) {
        unmet = true;
      }
    });
    var verdict;
    if (unmet) {
      verdict = live.getAttribute("data-required");
    } else if (total >= passMark) {
      verdict = live.getAttribute("data-meets");
    } else {
      verdict = live.getAttribute("data-fails");
    }
    text.textContent = live.getAttribute("data-label") + ": " + format(total) + " · " + verdict;
    live.classList.toggle("text-success", !unmet && total >= passMark);
    live.classList.toggle("text-danger", unmet || total < passMark);
  }

  live.hidden = false;
  form.addEventListener("input", update);
  update();
})();
