// Scanning a membership card with the phone's camera, where the browser can decode QR codes
// itself (BarcodeDetector). Without it the page works as before: a hand scanner or typing.
(function () {
  "use strict";
  var button = document.getElementById("camera");
  var video = document.getElementById("preview");
  var input = document.getElementById("token");
  var form = document.getElementById("scan-form");
  if (!button || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" } })
      .then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        video.play();
        var look = function () {
          detector.detect(video).then(function (codes) {
            if (codes.length) {
              stream.getTracks().forEach(function (t) { t.stop(); });
              input.value = codes[0].rawValue;
              form.submit();
            } else {
              window.requestAnimationFrame(look);
            }
          }, function () { window.requestAnimationFrame(look); });
        };
        look();
      });
  });
})();
