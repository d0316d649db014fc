// Check-in by camera at the door: wherever the browser can open a camera (getUserMedia), on
// phones and PCs alike. Frames are decoded by the browser's own BarcodeDetector where it has
// one (Android Chrome), else by jsQR, served by the app (vendor/jsqr/README.md): iPhones,
// WeChat and office PCs have no BarcodeDetector. A hand scanner types into the box as before,
// and the list's own buttons need no script at all.
(function () {
  "use strict";
  var button = document.getElementById("camera");
  var stop = document.getElementById("camera-stop");
  var video = document.getElementById("preview");
  var input = document.getElementById("token");
  var form = document.getElementById("scan-form");
  var status = document.getElementById("camera-status");
  if (!button || !video || !input || !form) return;
  if (!navigator.mediaDevices || typeof navigator.mediaDevices.getUserMedia !== "function") return;
  button.hidden = false;

  var stream = null;
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var MAX_SIDE = 640; // a card's code is large in the frame; smaller frames decode faster

  function say(key) {
    if (status) {
      status.textContent = status.getAttribute("data-" + key) || "";
      status.hidden = !status.textContent;
    }
  }

  function close() {
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
    video.hidden = true;
    if (stop) stop.hidden = true;
    button.hidden = false;
  }

  function found(text) {
    close();
    input.value = text;
    say("found");
    form.submit();
  }

  function nativeDetector() {
    if (!("BarcodeDetector" in window)) return Promise.resolve(null);
    var formats = window.BarcodeDetector.getSupportedFormats
      ? window.BarcodeDetector.getSupportedFormats()
      : Promise.resolve(["qr_code"]);
    return formats.then(
      function (list) {
        return list.indexOf("qr_code") >= 0 ? new window.BarcodeDetector({ formats: ["qr_code"] }) : null;
      },
      function () { return null; }
    );
  }

  function decodeWithJsQR() {
    if (typeof window.jsQR !== "function" || !video.videoWidth) return null;
    var scale = Math.min(1, MAX_SIDE / Math.max(video.videoWidth, video.videoHeight));
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    var frame = context.getImageData(0, 0, canvas.width, canvas.height);
    var code = window.jsQR(frame.data, frame.width, frame.height, { inversionAttempts: "attemptBoth" });
    return code && code.data ? code.data : null;
  }

  function watch(detector) {
    var look = function () {
      if (!stream) return;
      if (detector) {
        detector.detect(video).then(function (codes) {
          if (codes.length) found(codes[0].rawValue);
          else window.setTimeout(look, 100);
        }, function () { window.setTimeout(look, 200); });
        return;
      }
      var text = decodeWithJsQR();
      if (text) found(text);
      else window.setTimeout(look, 150);
    };
    look();
  }

  button.addEventListener("click", function () {
    say("starting");
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        video.setAttribute("playsinline", "");
        video.muted = true;
        video.hidden = false;
        button.hidden = true;
        if (stop) stop.hidden = false;
        say("aim");
        return video.play().then(nativeDetector).then(watch);
      })
      .catch(function (err) {
        close();
        say(err && err.name === "NotAllowedError" ? "denied" : "failed");
      });
  });
  if (stop) stop.addEventListener("click", function () { close(); say(""); input.focus(); });
})();
