// The first screen: log in, or register a new account (and then log in).

import { Gender } from '../protocol/commands.js';
import {
  emailProblem,
  loginError,
  nameProblem,
  NAME_RULE,
  passwordProblem,
  registerError,
} from '../state/errors.js';
import { h } from './dom.js';

export function loginScreen(state, client, signal) {
  let mode = 'login';
  const error = h('p', { class: 'form-error', role: 'alert', id: 'auth-error' });
  const name = h('input', {
    id: 'auth-name',
    name: 'username',
    autocomplete: 'username',
    required: true,
    maxlength: 60,
    spellcheck: 'false',
    autocapitalize: 'none',
  });
  const password = h('input', {
    id: 'auth-password',
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
    maxlength: 128,
  });
  const repeat = h('input', {
    id: 'auth-repeat',
    type: 'password',
    autocomplete: 'new-password',
    maxlength: 128,
  });
  const gender = h(
    'select',
    { id: 'auth-gender' },
    h('option', { value: Gender.UNSPECIFIED, text: 'Not saying' }),
    h('option', { value: Gender.FEMALE, text: 'Female' }),
    h('option', { value: Gender.MALE, text: 'Male' }),
  );
  const email = h('input', { id: 'auth-email', type: 'email', autocomplete: 'email', maxlength: 254 });
  const submit = h('button', { type: 'submit', id: 'auth-submit', class: 'primary' });
  const registerOnly = h(
    'div',
    { class: 'register-only' },
    h('label', { for: 'auth-repeat' }, 'Password again'),
    repeat,
    h('label', { for: 'auth-gender' }, 'Gender'),
    gender,
    h('label', { for: 'auth-email' }, 'E-mail (optional)'),
    email,
  );
  const hint = h('p', { class: 'hint', text: NAME_RULE });
  const tabLogin = h('button', { type: 'button', id: 'tab-login', role: 'tab' }, 'Log in');
  const tabRegister = h('button', { type: 'button', id: 'tab-register', role: 'tab' }, 'Register');

  const form = h(
    'form',
    { class: 'auth-form', id: 'auth-form', novalidate: true },
    h('label', { for: 'auth-name' }, 'Name'),
    name,
    h('label', { for: 'auth-password' }, 'Password'),
    password,
    registerOnly,
    hint,
    error,
    submit,
  );

  const setMode = (m) => {
    mode = m;
    form.dataset.mode = m;
    tabLogin.setAttribute('aria-selected', String(m === 'login'));
    tabRegister.setAttribute('aria-selected', String(m === 'register'));
    submit.textContent = m === 'login' ? 'Log in' : 'Register';
    password.autocomplete = m === 'login' ? 'current-password' : 'new-password';
    registerOnly.hidden = m === 'login';
    hint.hidden = m === 'login';
    error.textContent = '';
  };
  tabLogin.addEventListener('click', () => setMode('login'));
  tabRegister.addEventListener('click', () => setMode('register'));
  setMode('login');

  const check = () => {
    if (mode === 'login') {
      return name.value.trim() === '' ? 'Enter your name.' : password.value === '' ? 'Enter your password.' : null;
    }
    return (
      nameProblem(name.value.trim()) ??
      passwordProblem(password.value) ??
      (repeat.value !== password.value ? 'The two passwords differ.' : null) ??
      emailProblem(email.value.trim())
    );
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const problem = check();
    if (problem) {
      error.textContent = problem;
      return;
    }
    error.textContent = '';
    submit.disabled = true;
    const userName = name.value.trim();
    try {
      if (mode === 'register') {
        let registered;
        try {
          registered = await client.session.register({
            userName,
            password: password.value,
            gender: Number(gender.value),
            email: email.value.trim(),
          });
        } catch (err) {
          error.textContent = registerError(err);
          return;
        }
        if (!registered) {
          error.textContent = `The name “${userName}” is taken. Pick another one.`;
          return;
        }
      }
      try {
        await client.session.login(userName, password.value);
      } catch (err) {
        error.textContent = loginError(err);
      }
    } finally {
      submit.disabled = false;
    }
  });

  const notice = h('p', { class: 'notice', id: 'auth-notice', role: 'status' });
  const renderNotice = () => {
    notice.hidden = !state.notice;
    notice.className = `notice notice-${state.notice?.kind ?? 'info'}`;
    notice.textContent = state.notice?.text ?? '';
  };
  state.addEventListener('change', (e) => e.detail === 'notice' && renderNotice(), { signal });
  renderNotice();

  return h(
    'main',
    { class: 'auth-screen', id: 'screen-login' },
    h(
      'section',
      { class: 'auth-card' },
      h('h1', {}, h('span', { class: 'logo', 'aria-hidden': 'true' }), 'IMPS'),
      h('p', { class: 'tagline', text: 'Chat with friends and see where they are.' }),
      notice,
      h('div', { class: 'auth-tabs', role: 'tablist' }, tabLogin, tabRegister),
      form,
    ),
  );
}
