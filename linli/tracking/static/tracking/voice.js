/* 说话输入: a button under a text box marked data-voice that fills it from speech, where the browser offers the Web
   Speech API (Chrome on Android, Edge, Safari). Hidden where it does not: the box works as before. No inline script
   (the content-security policy allows only this site's files). */
(function () {
  "use strict";
  var Recognition = window.SpeechRecognition || window.webkitSpeechRecognition;
  if (!Recognition) return;
  document.querySelectorAll("[data-voice-for]").forEach(function (button) {
    var box = document.getElementById(button.getAttribute("data-voice-for"));
    var status = document.getElementById(button.getAttribute("aria-describedby"));
    if (!box) return;
    var listening = false;
    var recognition = new Recognition();
    recognition.lang = "zh-CN";
    recognition.interimResults = false;
    recognition.maxAlternatives = 1;
    function say(text) { if (status) status.textContent = text; }
    recognition.onresult = function (event) {
      var heard = event.results[0][0].transcript;
      box.value = (box.value ? box.value + "，" : "") + heard;
      box.dispatchEvent(new Event("input", { bubbles: true }));
      say("听到了：" + heard);
    };
    recognition.onerror = function () { say("没有听清，请再说一遍，或者用手打字。"); };
    recognition.onend = function () { listening = false; button.textContent = "按一下，说话输入"; };
    button.addEventListener("click", function () {
      if (listening) { recognition.stop(); return; }
      listening = true;
      button.textContent = "正在听，说完再按一下";
      say("请说话……");
      recognition.start();
    });
    button.hidden = false;
  });
})();
