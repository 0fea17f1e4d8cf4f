/*
 * Lake Avenue Recovery chat widget. A site embeds it with one tag:
 *
 *   <script src="https://ASSISTANT-SERVER/webchat/widget.js" defer></script>
 *
 * Optional attribute: data-exit-url="https://..." is where "Quick exit" goes
 * (default: the neutral page /webchat/exit.html on the same server).
 *
 * Plain JavaScript, no framework. Everything it loads comes from the server
 * named in its src (config.json, widget.css, socket.io-client): no third party,
 * no cookie. The conversation is kept in sessionStorage, so it survives a
 * reload of the tab and is gone when the tab closes or "Quick exit" is used.
 * Message content is only ever rendered as text nodes, never parsed as HTML.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.__larWebchatLoaded) {
    return;
  }
  window.__larWebchatLoaded = true;

  var BASE = new URL(".", script.src).href; // .../webchat/
  var SERVER = new URL(script.src).origin;
  var STORE_KEY = "lar-webchat";
  var MAX_STORED_MESSAGES = 200;
  var MAX_MESSAGE_CHARS = 1000;
  // The typing dots go away if no reply comes, so they never spin forever.
  var TYPING_TIMEOUT_MS = 20000;
  var exitUrl = httpUrl(script.getAttribute("data-exit-url")) || BASE + "exit.html";

  // Urgent handoffs (custom payload {handoff: true, reason}): which call and
  // text links the banner shows, the most urgent first.
  var HANDOFF_BANNERS = {
    overdose: { title: "Emergency: call 911 now.", links: ["911", "helpline"] },
    medical: { title: "This could be an emergency: call 911 now.", links: ["911", "helpline"] },
    danger: { title: "If you are in danger, call 911 now.", links: ["911", "helpline"] },
    suicide: {
      title: "Call or text 988 now (Suicide & Crisis Lifeline, 24/7).",
      links: ["988", "988-text", "helpline"],
    },
    about_to_use: { title: "Reach out right now.", links: ["988", "988-text", "helpline"] },
    person_now: { title: "If this is an emergency, call 911 now.", links: ["911", "988", "helpline"] },
    human: { title: "Talk with a recovery specialist.", links: ["helpline"], calm: true },
  };
  var UNKNOWN_HANDOFF = { title: "Get help now.", links: ["911", "988", "helpline"] };

  var config = null;
  var state = loadState();
  var socket = null; // created once socket.io-client has loaded
  var connecting = false;
  var online = false;
  var exiting = false;
  var typingTimer = null;
  var ui = {};

  // An http(s) URL, or null: never javascript:, data: and the like.
  function httpUrl(value) {
    if (!value) {
      return null;
    }
    try {
      var url = new URL(value, location.href);
      return /^https?:$/.test(url.protocol) ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  // ---- storage (sessionStorage: this tab only) ----

  function freshState() {
    return { sessionId: null, greeted: false, open: false, banner: null, messages: [] };
  }

  function loadState() {
    try {
      var saved = JSON.parse(sessionStorage.getItem(STORE_KEY) || "null");
      if (saved && Array.isArray(saved.messages)) {
        return saved;
      }
    } catch (e) {
      // Storage blocked or damaged: start a new conversation.
    }
    return freshState();
  }

  function saveState() {
    if (exiting) {
      return;
    }
    state.messages = state.messages.slice(-MAX_STORED_MESSAGES);
    try {
      sessionStorage.setItem(STORE_KEY, JSON.stringify(state));
    } catch (e) {
      // Without storage the conversation still works; a reload starts over.
    }
  }

  // ---- DOM helpers: text only ----

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) {
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function callLink(key, className) {
    var links = {
      "911": ["tel:911", "Call 911"],
      "988": ["tel:988", "Call 988"],
      "988-text": ["sms:988", "Text 988"],
      helpline: ["tel:" + config.helplineTel, "Call " + config.helpline],
    };
    return el("a", { href: links[key][0], class: className }, [links[key][1]]);
  }

  // Text with its web links and the helpline made clickable. Links are built
  // as elements from checked URLs; everything else is a text node.
  function appendLinkedText(parent, text) {
    var helpline = config.helpline.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    var pattern = new RegExp("https?://[^\\s<>\"']+|" + helpline, "g");
    var last = 0;
    var match;
    while ((match = pattern.exec(text)) !== null) {
      var found = match[0].replace(/[.,;:!?)]+$/, "");
      parent.append(document.createTextNode(text.slice(last, match.index)));
      var href = found === config.helpline ? "tel:" + config.helplineTel : httpUrl(found);
      if (href) {
        var attrs = { href: href };
        if (href.indexOf("tel:") !== 0) {
          attrs.target = "_blank";
          attrs.rel = "noopener noreferrer nofollow";
        }
        parent.append(el("a", attrs, [found]));
      } else {
        parent.append(document.createTextNode(found));
      }
      last = match.index + found.length;
      pattern.lastIndex = last;
    }
    parent.append(document.createTextNode(text.slice(last)));
  }

  // ---- building the widget ----

  function build() {
    var host = el("div", { id: "lar-webchat" });
    host.style.display = "none"; // shown once its stylesheet has loaded
    var root = host.attachShadow({ mode: "open" });
    var stylesheet = el("link", { rel: "stylesheet", href: BASE + "widget.css" });
    stylesheet.addEventListener("load", function () {
      host.style.display = "";
    });

    ui.launcher = el(
      "button",
      { type: "button", class: "launcher", "aria-expanded": "false", "aria-controls": "lar-panel" },
      ["Chat with us"]
    );
    ui.input = el("input", {
      id: "lar-input",
      type: "text",
      autocomplete: "off",
      maxlength: String(MAX_MESSAGE_CHARS),
      placeholder: "Type your question",
    });
    ui.send = el("button", { type: "submit", class: "send" }, ["Send"]);
    ui.form = el("form", { class: "composer" }, [
      el("label", { for: "lar-input", class: "sr-only" }, ["Your message"]),
      ui.input,
      ui.send,
    ]);
    ui.log = el("div", {
      class: "log",
      role: "log",
      "aria-live": "polite",
      "aria-label": "Conversation",
      tabindex: "0",
    });
    ui.banner = el("div", { class: "banner", role: "alert", hidden: "" });
    ui.status = el("div", { class: "status", role: "status" });
    ui.typing = el("div", { class: "typing", role: "status" });
    ui.close = el("button", { type: "button", class: "close" }, [
      el("span", { "aria-hidden": "true" }, ["×"]),
      el("span", { class: "sr-only" }, ["Close chat"]),
    ]);
    ui.exit = el("button", { type: "button", class: "exit" }, ["Quick exit"]);
    ui.clear = el("button", { type: "button", class: "clear" }, ["Clear conversation"]);
    ui.title = el("h2", { id: "lar-title", tabindex: "-1" }, [config.centerName]);
    ui.panel = el(
      "section",
      { class: "panel", id: "lar-panel", role: "dialog", "aria-labelledby": "lar-title", hidden: "" },
      [
        el("header", {}, [
          ui.title,
          el("p", { class: "subtitle" }, ["Automated, not a doctor"]),
          ui.exit,
          ui.close,
        ]),
        el("div", { class: "callbar" }, [
          callLink("helpline", "call"),
          callLink("911", "call emergency"),
        ]),
        ui.banner,
        ui.status,
        ui.log,
        ui.typing,
        ui.form,
        el("footer", {}, [
          ui.clear,
          el("p", {}, ["Don't share your name or personal details."]),
        ]),
      ]
    );
    root.append(stylesheet, ui.launcher, ui.panel);
    document.body.append(host);
    ui.host = host;

    ui.launcher.addEventListener("click", openPanel);
    ui.close.addEventListener("click", closePanel);
    ui.exit.addEventListener("click", quickExit);
    ui.clear.addEventListener("click", clearConversation);
    ui.panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        closePanel();
      }
    });
    ui.form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = ui.input.value.trim();
      if (text && sendToBot(text, text)) {
        ui.input.value = "";
      }
    });
    window.addEventListener("offline", function () {
      if (socket) {
        socket.disconnect();
      }
      setOnline(false);
    });
    window.addEventListener("online", function () {
      if (socket) {
        socket.connect();
      }
    });

    state.messages.forEach(function (message) {
      ui.log.append(renderMessage(message));
    });
    renderQuickReplies();
    renderBanner();
    setOnline(false);
    if (state.open) {
      openPanel();
    }
  }

  // ---- messages ----

  function renderMessage(message) {
    var fromBot = message.from === "bot";
    var bubble = el("p", { class: "bubble" });
    if (fromBot) {
      appendLinkedText(bubble, message.text);
    } else {
      bubble.append(document.createTextNode(message.text));
    }
    var item = el("div", { class: "message " + (fromBot ? "bot" : "user") }, [
      el("span", { class: "sr-only" }, [fromBot ? "Assistant:" : "You:"]),
      bubble,
    ]);
    if (message.sources && message.sources.length) {
      item.append(el("p", { class: "sources" }, ["Sources: " + message.sources.join("; ")]));
    }
    return item;
  }

  // Quick replies belong to the last message, and only while it is the last.
  function renderQuickReplies() {
    var old = ui.log.querySelector(".replies");
    if (old) {
      old.remove();
    }
    var last = state.messages[state.messages.length - 1];
    if (!last || last.from !== "bot" || !last.quickReplies || !last.quickReplies.length) {
      return;
    }
    var group = el("div", { class: "replies", role: "group", "aria-label": "Suggested replies" });
    last.quickReplies.forEach(function (reply) {
      var button = el("button", { type: "button", class: "reply" }, [reply.title]);
      button.disabled = !online;
      button.addEventListener("click", function () {
        if (sendToBot(reply.payload, reply.title)) {
          ui.input.focus();
        }
      });
      group.append(button);
    });
    ui.log.append(group);
  }

  function addMessage(message) {
    state.messages.push(message);
    saveState();
    var item = renderMessage(message);
    ui.log.append(item);
    renderQuickReplies();
    // A reply is read from its start: the log scrolls to the first bot
    // message after the visitor's last one, not past long answers.
    if (message.from === "bot" && !ui.replyStart) {
      ui.replyStart = item;
    } else if (message.from === "user") {
      ui.replyStart = null;
    }
    ui.log.scrollTop = ui.replyStart ? ui.replyStart.offsetTop - 8 : ui.log.scrollHeight;
  }

  function strings(list) {
    return Array.isArray(list) ? list.map(String) : [];
  }

  function onBotMessage(data) {
    setTyping(false);
    data = data || {};
    var custom = data.custom || {};
    var message = {
      from: "bot",
      text: String(data.text || ""),
      quickReplies: (Array.isArray(data.quick_replies) ? data.quick_replies : []).map(
        function (reply) {
          return { title: String(reply.title), payload: String(reply.payload) };
        }
      ),
      sources: strings(data.metadata && data.metadata.sources),
    };
    if (custom.handoff === true) {
      state.banner = String(custom.reason || "");
      renderBanner();
    }
    addMessage(message);
  }

  // Sends `payload` to the bot and shows `shown` (the text, or a button's
  // title) in the log; `shown` null sends silently (the greeting).
  function sendToBot(payload, shown) {
    if (!online) {
      return false;
    }
    if (shown !== null) {
      addMessage({ from: "user", text: shown });
    }
    // The server takes the session this socket confirmed, not one named here.
    socket.emit("user_uttered", { message: payload });
    setTyping(true);
    return true;
  }

  function renderBanner() {
    ui.banner.replaceChildren();
    ui.banner.hidden = state.banner === null;
    if (state.banner === null) {
      return;
    }
    var banner = HANDOFF_BANNERS[state.banner] || UNKNOWN_HANDOFF;
    // Asking for a person is not an emergency: same banner, without the alarm red.
    ui.banner.classList.toggle("calm", Boolean(banner.calm));
    var hide = el("button", { type: "button", class: "banner-hide" }, [
      "Hide",
      el("span", { class: "sr-only" }, [" these phone numbers"]),
    ]);
    hide.addEventListener("click", function () {
      state.banner = null;
      saveState();
      renderBanner();
      ui.input.focus();
    });
    ui.banner.append(
      el("p", { class: "banner-title" }, [banner.title]),
      el(
        "div",
        { class: "banner-links" },
        banner.links.map(function (key, index) {
          return callLink(key, index === 0 ? "urgent first" : "urgent");
        })
      ),
      hide
    );
  }

  function setTyping(on) {
    clearTimeout(typingTimer);
    ui.typing.replaceChildren();
    ui.typing.classList.toggle("on", on);
    if (on) {
      ui.typing.append(
        el("span", { class: "dots", "aria-hidden": "true" }, [el("i"), el("i"), el("i")]),
        el("span", { class: "sr-only" }, ["The assistant is typing"])
      );
      typingTimer = setTimeout(function () {
        setTyping(false);
      }, TYPING_TIMEOUT_MS);
    }
  }

  function setOnline(on) {
    online = on;
    ui.send.disabled = !on;
    ui.log.querySelectorAll(".reply").forEach(function (button) {
      button.disabled = !on;
    });
    ui.status.textContent =
      on || !socket
        ? ""
        : "You are offline. Reconnecting… You can still call " + config.helpline + ".";
    if (!on) {
      setTyping(false);
    }
  }

  // ---- connection ----

  function connect() {
    if (connecting) {
      return;
    }
    connecting = true;
    // socket.io-client sets window.io; the host page's own `io`, if any, is
    // put back so the widget never changes the page it is embedded in.
    var pageIo = window.io;
    var loader = el("script", { src: BASE + "vendor/socket.io.min.js" });
    loader.addEventListener("load", function () {
      var io = window.io;
      if (pageIo === undefined) {
        delete window.io;
      } else {
        window.io = pageIo;
      }
      socket = io(SERVER, {
        path: config.socketioPath,
        // WebSocket only: HTTP long-polling would need sticky sessions to
        // reach the same replica on every request when the server is scaled out.
        transports: ["websocket"],
        withCredentials: false,
        reconnectionDelayMax: 10000,
      });
      socket.on("connect", function () {
        socket.emit("session_request", { session_id: state.sessionId });
      });
      socket.on("session_confirm", function (sessionId) {
        var greet = !state.greeted;
        state.sessionId = sessionId;
        state.greeted = true;
        saveState();
        setOnline(true);
        if (greet) {
          sendToBot("/greet", null);
        }
      });
      socket.on("bot_uttered", onBotMessage);
      socket.on("disconnect", function () {
        setOnline(false);
      });
      socket.on("connect_error", function () {
        setOnline(false);
      });
    });
    document.head.append(loader);
  }

  // ---- the visitor's controls ----

  function openPanel() {
    ui.panel.hidden = false;
    ui.launcher.hidden = true;
    ui.launcher.setAttribute("aria-expanded", "true");
    state.open = true;
    saveState();
    connect();
    ui.log.scrollTop = ui.log.scrollHeight;
    // On touch screens focusing the input would pop up the keyboard over the
    // conversation: focus goes to the dialog's title instead.
    if (window.matchMedia("(pointer: coarse)").matches) {
      ui.title.focus();
    } else {
      ui.input.focus();
    }
  }

  function closePanel() {
    ui.panel.hidden = true;
    ui.launcher.hidden = false;
    ui.launcher.setAttribute("aria-expanded", "false");
    state.open = false;
    saveState();
    ui.launcher.focus();
  }

  // A new, empty conversation (a new session id) with a new greeting.
  function clearConversation() {
    state = freshState();
    state.open = true;
    saveState();
    ui.log.replaceChildren();
    ui.replyStart = null;
    renderBanner();
    setTyping(false);
    if (online) {
      socket.emit("session_request", { session_id: null });
    }
    ui.input.focus();
  }

  // One click: the widget closes, its storage is cleared and the page is
  // replaced (no Back entry) by a neutral one.
  function quickExit() {
    exiting = true;
    ui.host.remove();
    try {
      sessionStorage.removeItem(STORE_KEY);
    } catch (e) {
      // Nothing was stored.
    }
    if (socket) {
      socket.disconnect();
    }
    location.replace(exitUrl);
  }

  function start() {
    fetch(BASE + "config.json", { credentials: "omit" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("config.json: HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (loaded) {
        config = loaded;
        build();
      })
      .catch(function (error) {
        console.error("Chat widget unavailable:", error);
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
