/*
 * Lake Avenue Recovery chat widget. A site embeds it with one tag:
 *
 *   <script src="https://ASSISTANT-SERVER/webchat/widget.js" defer></script>
 *
 * Optional attributes: data-exit-url="https://..." is where "Quick exit" goes
 * (default: the neutral page /webchat/exit.html on the same server);
 * data-lang="es" sets the widget's language where the page's <html lang>
 * does not.
 *
 * The widget's own strings are in English or Spanish (STRINGS). They start
 * in the page's language and then follow the bot's: each reply names the
 * language it is in (channels/webchat/output.py).
 *
 * Plain JavaScript, no framework. Everything it loads comes from the server
 * named in its src (config.json, widget.css, socket.io-client): no third party,
 * no cookie. The conversation is kept in sessionStorage, so it survives a
 * reload of the tab and is gone when the tab closes or "Quick exit" is used.
 * Message content is only ever rendered as text nodes, never parsed as HTML.
 *
 * Made for a phone at night: the ways to call are in one bar under the title
 * (after an urgent handoff or a check-in the banner takes the bar's place, so
 * the helpline shows there once); every call choice is a tel: or sms: link,
 * quick replies that call the helpline included; every target is at least
 * 44 px; the log reopens at its last message; focus stays in the open panel;
 * and "Clear conversation" sits above the conversation, away from the input,
 * and asks first.
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

  // The widget's own strings, one table per language; "{helpline}" is the
  // helpline as config.json writes it. Spanish says "usted", in words a
  // reader from anywhere in Latin America knows. The numbers 911 and 988
  // stay as they are: they are what a person dials.
  var STRINGS = {
    en: {
      launcher: "Chat with us",
      subtitle: "Automated, not a doctor",
      quickExit: "Quick exit",
      closeChat: "Close chat",
      conversation: "Conversation",
      privacy: "Don't share your name or personal details.",
      clear: "Clear conversation",
      confirmTitle: "Clear this conversation?",
      confirmText: "Your messages are deleted from this tab and a new conversation starts.",
      confirmYes: "Yes, clear it",
      cancel: "Cancel",
      yourMessage: "Your message",
      placeholder: "Type your question",
      send: "Send",
      assistant: "Assistant:",
      you: "You:",
      sources: "Sources:",
      suggested: "Suggested replies",
      typing: "The assistant is typing",
      offline: "You are offline. Reconnecting… You can still call {helpline}.",
      hide: "Hide",
      hideWhat: " these phone numbers",
      call911: "Call 911",
      call988: "Call 988",
      text988: "Text 988",
      callHelpline: "Call {helpline}",
      banners: {
        overdose: "Emergency: call 911 now.",
        medical: "This could be an emergency: call 911 now.",
        danger: "If you are in danger, call 911 now.",
        suicide: "Call or text 988 now, any time, day or night.",
        about_to_use: "Reach out right now.",
        person_now: "If this is an emergency, call 911 now.",
        human: "Emergency: call 911. To talk with a person, call us.",
        unknown: "Get help now.",
        check_in: "Not safe right now? Call 911 or 988.",
        check_in_988: "Not safe right now? Call or text 988.",
      },
    },
    es: {
      launcher: "Escríbanos",
      subtitle: "Automatizado, no es un médico",
      quickExit: "Salida rápida",
      closeChat: "Cerrar el chat",
      conversation: "Conversación",
      privacy: "No escriba su nombre ni sus datos personales.",
      clear: "Borrar la conversación",
      confirmTitle: "¿Borrar esta conversación?",
      confirmText: "Sus mensajes se borran de esta pestaña y empieza una conversación nueva.",
      confirmYes: "Sí, borrarla",
      cancel: "Cancelar",
      yourMessage: "Su mensaje",
      placeholder: "Escriba su pregunta",
      send: "Enviar",
      assistant: "Asistente:",
      you: "Usted:",
      sources: "Fuentes:",
      suggested: "Respuestas sugeridas",
      typing: "El asistente está escribiendo",
      offline: "Está sin conexión. Reconectando… Puede llamar al {helpline}.",
      hide: "Ocultar",
      hideWhat: " estos números de teléfono",
      call911: "Llamar al 911",
      call988: "Llamar al 988",
      text988: "Enviar texto al 988",
      callHelpline: "Llamar al {helpline}",
      banners: {
        overdose: "Emergencia: llame al 911 ahora.",
        medical: "Esto puede ser una emergencia: llame al 911 ahora.",
        danger: "Si está en peligro, llame al 911 ahora.",
        suicide: "Llame o envíe un texto al 988 ahora, a cualquier hora, de día o de noche.",
        about_to_use: "Pida ayuda ahora mismo.",
        person_now: "Si es una emergencia, llame al 911 ahora.",
        human: "Emergencia: llame al 911. Para hablar con una persona, llámenos.",
        unknown: "Pida ayuda ahora.",
        check_in: "¿No está a salvo ahora? Llame al 911 o al 988.",
        check_in_988: "¿No está a salvo ahora? Llame o envíe un texto al 988.",
      },
    },
  };

  // Urgent handoffs (custom payload {handoff: true, reason}): the banner's
  // title (a key of STRINGS' banners) and its call and text links, the most
  // urgent first (as the reply's text names them), the helpline last. 911
  // first for overdose, medical, danger and "a person now"; 988 first for
  // suicide and about to use.
  var HANDOFF_BANNERS = {
    overdose: { title: "overdose", links: ["911", "helpline"] },
    medical: { title: "medical", links: ["911", "helpline"] },
    danger: { title: "danger", links: ["911", "helpline"] },
    suicide: { title: "suicide", links: ["988", "988-text", "helpline"] },
    about_to_use: { title: "about_to_use", links: ["988", "988-text", "helpline"] },
    person_now: { title: "person_now", links: ["911", "988", "helpline"] },
    // Asking for a person (the menu's "Talk to a person"): the reply names 911
    // and 988 first in case it is an emergency, then the helpline. Not an
    // alarm: the banner is calm.
    human: { title: "human", links: ["911", "988", "helpline"], calm: true },
  };
  var UNKNOWN_HANDOFF = { title: "unknown", links: ["911", "988", "helpline"] };
  // The check-in (custom payload {check_in: true, reason}): risk possible but
  // unclear. 988 and 911, in the order of the category it leaned to.
  var CHECK_IN_988_FIRST = ["suicide", "about_to_use"];
  var CHECK_IN_BANNER = { title: "check_in", links: ["911", "988", "988-text", "helpline"] };
  var CHECK_IN_BANNER_988 = { title: "check_in_988", links: ["988", "988-text", "911", "helpline"] };

  var config = null;
  var state = loadState();
  var socket = null; // created once socket.io-client has loaded
  var connecting = false;
  var online = false;
  var exiting = false;
  var typingTimer = null;
  var ui = {};
  // The page's language, where the widget starts (and starts again after
  // "Clear conversation"), and the one its strings are in now.
  var pageLanguage = uiLanguage(script.getAttribute("data-lang") || document.documentElement.lang);
  var language = state.language || pageLanguage;

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

  // The widget's language for a language tag: Spanish for es, es-US, es-419
  // and the like; English for any other (Portuguese, Haitian Creole and
  // Vietnamese replies come with the English strings: they have no table).
  function uiLanguage(tag) {
    return /^es(-|$)/i.test(String(tag || "").trim()) ? "es" : "en";
  }

  // A string of the current language's table, the helpline filled in.
  function t(key) {
    return STRINGS[language][key].replace("{helpline}", config.helpline);
  }

  function digits(text) {
    return String(text).replace(/\D/g, "");
  }

  // ---- storage (sessionStorage: this tab only) ----

  function freshState() {
    return {
      sessionId: null,
      greeted: false,
      open: false,
      banner: null,
      messages: [],
      // The language the bot's replies set, if one did: a reload keeps it.
      language: null,
    };
  }

  // The banner is {kind: "handoff" | "check_in", reason} or null; an older
  // tab stored a handoff's reason alone.
  function bannerState(value) {
    if (typeof value === "string") {
      return { kind: "handoff", reason: value };
    }
    if (value && typeof value === "object" && typeof value.reason === "string") {
      return { kind: value.kind === "check_in" ? "check_in" : "handoff", reason: value.reason };
    }
    return null;
  }

  function loadState() {
    try {
      var saved = JSON.parse(sessionStorage.getItem(STORE_KEY) || "null");
      if (saved && Array.isArray(saved.messages)) {
        saved.banner = bannerState(saved.banner);
        saved.language = saved.language ? uiLanguage(saved.language) : null;
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

  // Marks a node's text ("") and attributes as strings of the tables, by key:
  // a change of language rewrites them in place (translate).
  function localized(node, keys) {
    node.larStrings = keys;
    node.setAttribute("data-lar-strings", "");
    translate(node);
    return node;
  }

  function translate(node) {
    Object.keys(node.larStrings).forEach(function (name) {
      var text = t(node.larStrings[name]);
      if (name === "") {
        node.textContent = text;
      } else {
        node.setAttribute(name, text);
      }
    });
  }

  function callLink(key, className) {
    var links = {
      "911": ["tel:911", "call911"],
      "988": ["tel:988", "call988"],
      "988-text": ["sms:988", "text988"],
      helpline: ["tel:" + config.helplineTel, "callHelpline"],
    };
    return localized(el("a", { href: links[key][0], class: className }), { "": links[key][1] });
  }

  // Where a bot button whose purpose is to call goes, or null for a button
  // that sends its payload to the bot. A payload that is itself a phone link
  // (tel:/sms: and a number) is used as it is, and the payload /call_helpline
  // ("Call the helpline" of "Talk to a person") dials the helpline whatever
  // its title says, in any language. Only buttons without such a payload are
  // read by their title: one that says "Call" and names the helpline or its
  // number, or "Call ..." with /request_human (the curated answers' "Call the
  // helpline", data/content/), dials the helpline too. "Talk to a person"
  // stays a message: its reply names 911 and 988 first.
  function callHref(reply) {
    var payload = reply.payload.trim();
    var phone = /^(tel|sms):(\+?[0-9][0-9 ().-]{1,30})$/i.exec(payload);
    if (phone) {
      return phone[1].toLowerCase() + ":" + phone[2].replace(/[^0-9+]/g, "");
    }
    var helplineTel = "tel:" + config.helplineTel;
    if (payload === "/call_helpline") {
      return helplineTel;
    }
    var title = reply.title;
    var number = digits(config.helpline);
    var namesHelpline =
      /\bhelpline\b/i.test(title) || (number !== "" && digits(title).indexOf(number) !== -1);
    if (/^\s*call\b/i.test(title) && (namesHelpline || payload === "/request_human")) {
      return helplineTel;
    }
    return null;
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
      // Laid out only now: a reloaded tab opens at its last message.
      if (state.open) {
        scrollToEnd();
      }
    });

    ui.launcher = localized(
      el("button", {
        type: "button",
        class: "launcher",
        "aria-expanded": "false",
        "aria-controls": "lar-panel",
      }),
      { "": "launcher" }
    );
    ui.input = localized(
      el("input", {
        id: "lar-input",
        type: "text",
        autocomplete: "off",
        maxlength: String(MAX_MESSAGE_CHARS),
        "aria-describedby": "lar-privacy",
      }),
      { placeholder: "placeholder" }
    );
    ui.send = localized(el("button", { type: "submit", class: "send" }), { "": "send" });
    ui.form = el("form", { class: "composer" }, [
      localized(el("label", { for: "lar-input", class: "sr-only" }), { "": "yourMessage" }),
      ui.input,
      ui.send,
    ]);

    // "Clear conversation" heads the conversation, far from the input and
    // the Send button, where no thumb hits it by mistake; it asks first.
    ui.clear = localized(el("button", { type: "button", class: "clear" }), { "": "clear" });
    ui.messages = el("div", { class: "messages" });
    ui.log = localized(
      el("div", { class: "log", role: "log", "aria-live": "polite", tabindex: "0" }, [
        el("div", { class: "log-tools" }, [
          localized(el("p", { id: "lar-privacy", class: "privacy" }), { "": "privacy" }),
          ui.clear,
        ]),
        ui.messages,
      ]),
      { "aria-label": "conversation" }
    );

    // One bar for the ways to call: the helpline and 911, or the banner in
    // their place after an urgent handoff or a check-in.
    ui.banner = el("div", { class: "banner", role: "alert", hidden: "" });
    ui.bar = el("div", { class: "bar" }, [
      callLink("helpline", "call"),
      callLink("911", "call emergency"),
    ]);
    ui.callbar = el("div", { class: "callbar" }, [ui.banner, ui.bar]);

    ui.status = el("div", { class: "status", role: "status" });
    ui.typing = el("div", { class: "typing", role: "status" });
    ui.close = el("button", { type: "button", class: "close" }, [
      el("span", { "aria-hidden": "true" }, ["×"]),
      localized(el("span", { class: "sr-only" }), { "": "closeChat" }),
    ]);
    ui.exit = localized(el("button", { type: "button", class: "exit" }), { "": "quickExit" });
    ui.title = el("h2", { id: "lar-title", tabindex: "-1" }, [config.centerName]);

    ui.confirmYes = localized(el("button", { type: "button", class: "confirm-yes" }), {
      "": "confirmYes",
    });
    ui.confirmNo = localized(el("button", { type: "button", class: "confirm-no" }), { "": "cancel" });
    ui.confirm = el(
      "div",
      {
        class: "confirm",
        role: "alertdialog",
        "aria-modal": "true",
        "aria-labelledby": "lar-confirm-title",
        "aria-describedby": "lar-confirm-text",
        hidden: "",
      },
      [
        el("div", { class: "confirm-box" }, [
          localized(el("p", { id: "lar-confirm-title", class: "confirm-title" }), {
            "": "confirmTitle",
          }),
          localized(el("p", { id: "lar-confirm-text" }), { "": "confirmText" }),
          el("div", { class: "confirm-actions" }, [ui.confirmNo, ui.confirmYes]),
        ]),
      ]
    );

    // Plain divs, not header/footer: the widget adds no landmark (a second
    // "banner") to the page it is embedded in.
    ui.panel = el(
      "section",
      {
        class: "panel",
        id: "lar-panel",
        role: "dialog",
        "aria-modal": "true",
        "aria-labelledby": "lar-title",
        hidden: "",
      },
      [
        el("div", { class: "head" }, [
          el("div", { class: "titles" }, [
            ui.title,
            localized(el("p", { class: "subtitle" }), { "": "subtitle" }),
          ]),
          ui.exit,
          ui.close,
        ]),
        el("div", { class: "body" }, [
          ui.callbar,
          ui.status,
          ui.log,
          ui.typing,
          ui.form,
          ui.confirm,
        ]),
      ]
    );
    root.append(stylesheet, ui.launcher, ui.panel);
    document.body.append(host);
    ui.host = host;
    ui.root = root;
    setLanguage(language);

    ui.launcher.addEventListener("click", openPanel);
    ui.close.addEventListener("click", closePanel);
    ui.exit.addEventListener("click", quickExit);
    ui.clear.addEventListener("click", askToClear);
    ui.confirmNo.addEventListener("click", function () {
      closeConfirm(true);
    });
    ui.confirmYes.addEventListener("click", function () {
      closeConfirm(false);
      clearConversation();
    });
    ui.panel.addEventListener("keydown", onPanelKey);
    // Focus that fell out of the panel (its element was removed) comes back in.
    document.addEventListener("keydown", onPageKey, true);
    document.addEventListener("focusin", onPageFocus, true);
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
      ui.messages.append(renderMessage(message));
    });
    renderQuickReplies();
    renderBanner();
    setOnline(false);
    if (state.open) {
      openPanel();
    }
  }

  // ---- focus: it stays in the open panel ----

  function panelIsOpen() {
    return Boolean(ui.panel) && !ui.panel.hidden;
  }

  function confirmIsOpen() {
    return Boolean(ui.confirm) && !ui.confirm.hidden;
  }

  // Where Tab goes: the confirmation while it asks, else the whole panel.
  function trapRoot() {
    return confirmIsOpen() ? ui.confirm : ui.panel;
  }

  function focusables(root) {
    return Array.prototype.filter.call(
      root.querySelectorAll("a[href], button, input, [tabindex]"),
      function (node) {
        return !node.disabled && node.tabIndex >= 0 && node.getClientRects().length > 0;
      }
    );
  }

  // Tab and Shift+Tab move through the panel's controls and wrap around.
  function moveFocus(backwards) {
    var list = focusables(trapRoot());
    if (!list.length) {
      return;
    }
    var current = ui.root.activeElement;
    var index = list.indexOf(current);
    var next;
    if (index !== -1) {
      next = list[(index + (backwards ? -1 : 1) + list.length) % list.length];
    } else if (current && trapRoot().contains(current)) {
      // Focus on something Tab does not stop at (the title): the next control after it.
      var after = list.filter(function (node) {
        return current.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING;
      });
      var before = list.filter(function (node) {
        return current.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_PRECEDING;
      });
      next = backwards ? before[before.length - 1] || list[list.length - 1] : after[0] || list[0];
    } else {
      next = backwards ? list[list.length - 1] : list[0];
    }
    next.focus();
  }

  function onPanelKey(event) {
    if (event.key === "Tab") {
      event.preventDefault();
      moveFocus(event.shiftKey);
    } else if (event.key === "Escape") {
      if (confirmIsOpen()) {
        closeConfirm(true);
      } else {
        closePanel();
      }
    }
  }

  // Keys on the page while the panel is open and focus is nowhere (the
  // element that had it was removed): Tab and Escape act as in the panel.
  function onPageKey(event) {
    if (!panelIsOpen() || (event.key !== "Tab" && event.key !== "Escape")) {
      return;
    }
    var active = document.activeElement;
    var lost = !active || active === document.body || (active === ui.host && !ui.root.activeElement);
    if (lost) {
      onPanelKey(event);
    }
  }

  // On a phone the panel covers the page: focus never goes to the links
  // hidden behind it. (On a wide screen a click on the page stays there.)
  function onPageFocus(event) {
    if (!panelIsOpen() || event.target === ui.host || ui.host.contains(event.target)) {
      return;
    }
    var box = ui.panel.getBoundingClientRect();
    if (box.width >= window.innerWidth && box.height >= window.innerHeight) {
      var first = focusables(trapRoot())[0];
      if (first) {
        first.focus();
      }
    }
  }

  // On touch screens focusing the input would pop up the keyboard over the
  // conversation: focus goes to the dialog's title instead.
  function focusStart() {
    if (window.matchMedia("(pointer: coarse)").matches) {
      ui.title.focus();
    } else {
      ui.input.focus();
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
    if (fromBot && message.language) {
      // Read in the reply's own language, whatever the widget's strings are in.
      bubble.setAttribute("lang", message.language);
    }
    var item = el("div", { class: "message " + (fromBot ? "bot" : "user") }, [
      localized(el("span", { class: "sr-only" }), { "": fromBot ? "assistant" : "you" }),
      bubble,
    ]);
    if (message.sources && message.sources.length) {
      item.append(
        el("p", { class: "sources" }, [
          localized(el("span"), { "": "sources" }),
          " " + message.sources.join("; "),
        ])
      );
    }
    return item;
  }

  // Quick replies belong to the last message, and only while it is the last.
  // One that calls is a tel: link (it works offline too); the others send.
  function renderQuickReplies() {
    var old = ui.messages.querySelector(".replies");
    if (old) {
      old.remove();
    }
    var last = state.messages[state.messages.length - 1];
    if (!last || last.from !== "bot" || !last.quickReplies || !last.quickReplies.length) {
      return;
    }
    var group = localized(el("div", { class: "replies", role: "group" }), {
      "aria-label": "suggested",
    });
    last.quickReplies.forEach(function (reply) {
      var href = callHref(reply);
      if (href) {
        group.append(el("a", { href: href, class: "reply call-reply" }, [reply.title]));
        return;
      }
      var button = el("button", { type: "button", class: "reply" }, [reply.title]);
      button.disabled = !online;
      button.addEventListener("click", function () {
        if (sendToBot(reply.payload, reply.title)) {
          ui.input.focus();
        }
      });
      group.append(button);
    });
    ui.messages.append(group);
  }

  function scrollToEnd() {
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  function addMessage(message) {
    state.messages.push(message);
    saveState();
    var item = renderMessage(message);
    ui.messages.append(item);
    renderQuickReplies();
    // A reply is read from its start: the log scrolls to the first bot
    // message after the visitor's last one, not past long answers.
    if (message.from === "bot" && !ui.replyStart) {
      ui.replyStart = item;
    } else if (message.from === "user") {
      ui.replyStart = null;
    }
    if (ui.replyStart === ui.messages.firstElementChild) {
      // The first message: from the top, with the privacy note above it.
      ui.log.scrollTop = 0;
    } else if (ui.replyStart) {
      ui.log.scrollTop = ui.replyStart.offsetTop - 8;
    } else {
      scrollToEnd();
    }
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
    if (typeof data.language === "string" && /^[a-z]{2,3}$/.test(data.language)) {
      message.language = data.language;
      // The strings follow the replies to what the visitor wrote, not the
      // greeting, which is in the page's language (English for pt, ht, vi).
      var answered = state.messages.some(function (earlier) {
        return earlier.from === "user";
      });
      if (answered) {
        state.language = uiLanguage(data.language);
        if (state.language !== language) {
          setLanguage(state.language);
        }
      }
    }
    if (custom.handoff === true) {
      state.banner = { kind: "handoff", reason: String(custom.reason || "") };
      renderBanner();
    } else if (custom.check_in === true && !urgentBannerShown()) {
      // A check-in never takes the place of an urgent handoff's banner.
      state.banner = { kind: "check_in", reason: String(custom.reason || "") };
      renderBanner();
    }
    addMessage(message);
  }

  // Sends `payload` to the bot and shows `shown` (the text, or a button's
  // title) in the log; `shown` null sends silently (the greeting).
  function sendToBot(payload, shown, greetingLanguage) {
    if (!online) {
      return false;
    }
    if (shown !== null) {
      addMessage({ from: "user", text: shown });
    }
    // The server takes the session this socket confirmed, not one named here.
    var data = { message: payload };
    if (greetingLanguage) {
      data.language = greetingLanguage;
    }
    socket.emit("user_uttered", data);
    setTyping(true);
    return true;
  }

  // ---- the call bar and the banner in its place ----

  function bannerFor(banner) {
    if (banner.kind === "check_in") {
      return CHECK_IN_988_FIRST.indexOf(banner.reason) !== -1 ? CHECK_IN_BANNER_988 : CHECK_IN_BANNER;
    }
    return Object.prototype.hasOwnProperty.call(HANDOFF_BANNERS, banner.reason)
      ? HANDOFF_BANNERS[banner.reason]
      : UNKNOWN_HANDOFF;
  }

  function urgentBannerShown() {
    return Boolean(state.banner && state.banner.kind === "handoff" && !bannerFor(state.banner).calm);
  }

  function renderBanner() {
    ui.banner.replaceChildren();
    var shown = state.banner !== null;
    ui.banner.hidden = !shown;
    // The banner has the helpline: the bar's own links step aside.
    ui.bar.hidden = shown;
    if (!shown) {
      return;
    }
    var banner = bannerFor(state.banner);
    // Asking for a person is not an emergency: same banner, without the alarm red.
    ui.banner.classList.toggle("calm", Boolean(banner.calm));
    var hide = el("button", { type: "button", class: "banner-hide" }, [
      localized(el("span"), { "": "hide" }),
      localized(el("span", { class: "sr-only" }), { "": "hideWhat" }),
    ]);
    hide.addEventListener("click", function () {
      state.banner = null;
      saveState();
      renderBanner();
      // The bar is back: focus goes to its first call link.
      ui.bar.querySelector("a").focus();
    });
    ui.banner.append(
      el("p", { class: "banner-title" }, [STRINGS[language].banners[banner.title]]),
      hide,
      el(
        "div",
        { class: "banner-links" },
        banner.links.map(function (key, index) {
          var kind = key === "helpline" ? " helpline" : "";
          return callLink(key, (index === 0 ? "urgent first" : "urgent") + kind);
        })
      )
    );
  }

  function setTyping(on) {
    clearTimeout(typingTimer);
    ui.typing.replaceChildren();
    ui.typing.classList.toggle("on", on);
    if (on) {
      ui.typing.append(
        el("span", { class: "dots", "aria-hidden": "true" }, [el("i"), el("i"), el("i")]),
        localized(el("span", { class: "sr-only" }), { "": "typing" })
      );
      typingTimer = setTimeout(function () {
        setTyping(false);
      }, TYPING_TIMEOUT_MS);
    }
  }

  function setOnline(on) {
    online = on;
    ui.send.disabled = !on;
    ui.messages.querySelectorAll("button.reply").forEach(function (button) {
      button.disabled = !on;
    });
    renderStatus();
    if (!on) {
      setTyping(false);
    }
  }

  function renderStatus() {
    ui.status.textContent = online || !socket ? "" : t("offline");
  }

  // The widget's strings in `next` ("en" or "es"), rewritten in place, and
  // its lang attribute with them, so screen readers pronounce them right.
  function setLanguage(next) {
    language = next;
    [ui.host, ui.launcher, ui.panel].forEach(function (node) {
      node.setAttribute("lang", next);
    });
    ui.root.querySelectorAll("[data-lar-strings]").forEach(translate);
    // The banner's title is not marked: it is rebuilt, as its kind may change.
    if (state.banner) {
      renderBanner();
    }
    renderStatus();
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
          // The page's language, so that a Spanish page is greeted in Spanish.
          sendToBot("/greet", null, language);
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
    scrollToEnd();
    focusStart();
  }

  function closePanel() {
    ui.confirm.hidden = true;
    ui.panel.hidden = true;
    ui.launcher.hidden = false;
    ui.launcher.setAttribute("aria-expanded", "false");
    state.open = false;
    saveState();
    ui.launcher.focus();
  }

  // "Clear conversation" asks in the panel first; Cancel is the first choice.
  function askToClear() {
    ui.confirm.hidden = false;
    ui.confirmNo.focus();
  }

  function closeConfirm(cancelled) {
    ui.confirm.hidden = true;
    if (cancelled) {
      ui.clear.focus();
    }
  }

  // A new, empty conversation (a new session id) with a new greeting.
  function clearConversation() {
    state = freshState();
    state.open = true;
    saveState();
    // A new conversation starts in the page's language again.
    if (language !== pageLanguage) {
      setLanguage(pageLanguage);
    }
    ui.messages.replaceChildren();
    ui.replyStart = null;
    renderBanner();
    setTyping(false);
    if (online) {
      socket.emit("session_request", { session_id: null });
    }
    focusStart();
  }

  // One click: the widget closes, its storage is cleared and the page is
  // replaced (no Back entry) by a neutral one.
  function quickExit() {
    exiting = true;
    document.removeEventListener("keydown", onPageKey, true);
    document.removeEventListener("focusin", onPageFocus, true);
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
