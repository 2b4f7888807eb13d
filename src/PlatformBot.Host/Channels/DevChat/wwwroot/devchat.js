// PlatformBot dev chat: renders the bot's JSON message documents; all text arrives HTML-escaped from the server.
(() => {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const state = {
    user: localStorage.getItem('pb.user') || 'alice',
    conversation: localStorage.getItem('pb.conversation') || 'support',
    threadId: null,
    seen: { main: 0, dm: 0 },
  };

  const lastId = (list) => list.length ? Number(String(list[list.length - 1].id).slice(1)) : 0;

  async function api(method, url, body) {
    const response = await fetch(url, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await response.json().catch(() => ({ error: 'unreadable answer' }));
    if (!response.ok) throw new Error(json.error || response.statusText);
    return json;
  }

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null) continue;
      if (k === 'html') node.innerHTML = v; // server-escaped HTML only
      else if (k === 'text') node.textContent = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    }
    for (const child of children || []) node.append(child);
    return node;
  }

  function renderMessage(message, listId) {
    const isBot = message.from === 'PlatformBot';
    const li = el('li', {
      class: 'msg' + (message.threadId ? ' thread' : '') + (message.private ? ' private' : ''),
      id: listId + '-' + message.id,
      'data-id': message.id,
      'data-card': message.cardKey,
    });
    li.append(el('span', { class: 'from' + (isBot ? ' bot' : ''), text: message.from }));
    li.append(el('span', { class: 'time', text: new Date(message.at).toLocaleTimeString() + (message.private ? ' · only you can see this' : '') }));
    for (const block of message.blocks || []) li.append(renderBlock(block, message));
    if (message.form) li.append(renderForm(message.form, message));
    if (!message.threadId && listId === 'main') {
      li.append(el('button', { class: 'link', type: 'button', text: 'Reply in thread', onclick: () => setThread(message.id) }));
    }
    return li;
  }

  function renderBlock(block, message) {
    switch (block.type) {
      case 'header': return el('div', { class: 'block header', html: block.html });
      case 'text': return el('div', { class: 'block text', html: block.html });
      case 'section': {
        const div = el('div', { class: 'block section' });
        if (block.html) div.append(el('div', { html: block.html }));
        if (block.fields && block.fields.length) {
          div.append(el('div', { class: 'fields' }, block.fields.map((f) =>
            el('div', {}, [el('div', { class: 'field-label', text: f.label }), el('div', { html: f.html })]))));
        }
        return div;
      }
      case 'actions':
        return el('div', { class: 'block actions' }, block.elements.map((e) => e.type === 'select'
          ? el('select', { 'aria-label': e.label, onchange: (ev) => act(message, e.actionId, ev.target.value) },
              [el('option', { value: '', text: e.label })].concat(e.options.map((o) => el('option', { value: o.value, text: o.label }))))
          : el('button', { type: 'button', class: e.style, 'data-action': e.actionId, text: e.label, onclick: () => act(message, e.actionId, e.value) })));
      case 'context': return el('div', { class: 'block context' }, block.items.map((h) => el('span', { html: h + ' ' })));
      case 'image': return el('img', { class: 'chart', src: block.url, alt: block.alt });
      case 'divider': return el('hr');
      default: return el('div', { class: 'block', text: '' });
    }
  }

  function renderForm(form, message) {
    const f = el('form', { class: 'card-form', 'data-form': form.formId });
    f.append(el('strong', { text: form.title }));
    for (const field of form.fields) {
      const id = `${message.id}-${field.name}`;
      f.append(el('label', { for: id, text: field.label + (field.required ? ' *' : '') }));
      let input;
      if (field.kind === 'select') {
        input = el('select', { id, name: field.name }, [el('option', { value: '', text: '' })].concat(field.options.map((o) => el('option', { value: o.value, text: o.label }))));
      } else if (field.kind === 'multiline') {
        input = el('textarea', { id, name: field.name, rows: 3, maxlength: field.maxLength, placeholder: field.placeholder });
      } else {
        input = el('input', { id, name: field.name, maxlength: field.maxLength, placeholder: field.placeholder });
      }
      if (field.initial) input.value = field.initial;
      f.append(input);
      if (form.errors && form.errors[field.name]) f.append(el('div', { class: 'error', role: 'alert', text: form.errors[field.name] }));
    }
    f.append(el('button', { type: 'submit', class: 'primary', text: form.submitLabel || 'Submit' }));
    f.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const values = {};
      for (const field of form.fields) values[field.name] = f.elements[field.name].value;
      await send('/api/dev/actions', { user: state.user, conversation: message.conversation, formId: form.formId, state: form.state, messageId: message.id, values });
    });
    return f;
  }

  async function act(message, actionId, value) {
    await send('/api/dev/actions', { user: state.user, conversation: message.conversation, messageId: message.id, actionId, value });
  }

  async function send(url, body) {
    try {
      await api('POST', url, body);
    } catch (e) {
      showError(e.message);
    }
    await refresh(true);
  }

  function showError(text) {
    $('messages').append(el('li', { class: 'msg private', role: 'alert' }, [el('span', { class: 'error', text })]));
  }

  function setThread(id) {
    state.threadId = id;
    $('thread-note').hidden = !id;
    $('thread-id').textContent = id || '';
    $('text').focus();
  }

  async function load(conversation, listId, full) {
    const list = $(listId === 'main' ? 'messages' : 'dm-messages');
    if (full) { list.innerHTML = ''; state.seen[listId] = 0; }
    // Re-read the whole conversation: cards are updated in place, so a diff by id is not enough.
    const json = await api('GET', `/api/dev/conversations/${encodeURIComponent(conversation)}?user=${encodeURIComponent(state.user)}`);
    const signature = JSON.stringify(json.messages);
    if (list.dataset.signature === signature) return;
    list.dataset.signature = signature;
    list.innerHTML = '';
    for (const m of json.messages) list.append(renderMessage(m, listId));
    if (lastId(json.messages) > state.seen[listId]) list.scrollTop = list.scrollHeight;
    state.seen[listId] = lastId(json.messages);
  }

  async function refresh(full) {
    try {
      await load(state.conversation, 'main', false);
      await load('dm:' + state.user, 'dm', false);
    } catch (e) { /* the next poll retries */ }
  }

  function applyIdentity() {
    $('user').value = state.user;
    $('conversation').value = state.conversation;
    $('chat-title').textContent = state.conversation.startsWith('dm:') ? state.conversation : '#' + state.conversation;
    $('dm-user').textContent = state.user;
    $('messages').dataset.signature = '';
    $('dm-messages').dataset.signature = '';
    setThread(null);
  }

  $('who').addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!ev.target.checkValidity()) return;
    state.user = $('user').value.trim();
    state.conversation = $('conversation').value.trim();
    localStorage.setItem('pb.user', state.user);
    localStorage.setItem('pb.conversation', state.conversation);
    applyIdentity();
    refresh(true);
  });

  $('composer').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const text = $('text').value;
    if (!text.trim()) return;
    $('text').value = '';
    const body = { user: state.user, conversation: state.conversation, text };
    if (state.threadId) body.threadId = state.threadId;
    await send('/api/dev/messages', body);
  });
  $('thread-cancel').addEventListener('click', () => setThread(null));

  api('GET', '/api/dev/info').then((info) => { $('production-notice').hidden = !info.production; }).catch(() => {});
  applyIdentity();
  refresh(true);
  setInterval(refresh, 1500);
})();
