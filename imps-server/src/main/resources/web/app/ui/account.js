// The account dialog, opened from the top bar: change the password, or delete the account. Both
// ask for the current password; deleting asks once more before it happens.

import { accountError, passwordProblem } from '../state/errors.js';
import { h } from './dom.js';

const password = (id, label, autocomplete) => [
  h('label', { for: id }, label),
  h('input', { id, type: 'password', autocomplete, maxlength: 128, required: true }),
];

/** The top bar's "Account" button and the dialog it opens. */
export function accountDialog(state, client) {
  const account = client.account;
  const passwdError = h('p', { class: 'form-error', role: 'alert', id: 'passwd-error' });
  const passwdForm = h(
    'form',
    { class: 'account-form', id: 'passwd-form', novalidate: true },
    h('h3', { text: 'Change password' }),
    password('passwd-current', 'Current password', 'current-password'),
    password('passwd-new', 'New password', 'new-password'),
    password('passwd-repeat', 'New password again', 'new-password'),
    h('p', {
      class: 'hint',
      text: 'Other windows and devices are signed out and log in with the new password.',
    }),
    passwdError,
    h('button', { type: 'submit', id: 'passwd-submit', class: 'primary' }, 'Change password'),
  );

  const deleteError = h('p', { class: 'form-error', role: 'alert', id: 'delete-error' });
  const deleteSubmit = h('button', { type: 'submit', id: 'delete-submit', class: 'danger' });
  const deleteForm = h(
    'form',
    { class: 'account-form', id: 'delete-form', novalidate: true },
    h('h3', { text: 'Delete account' }),
    h('p', {
      class: 'hint',
      text:
        'Your account goes with everything the server keeps of it: messages both ways, friends, ' +
        'requests, places and tracks. Your name becomes free for anyone.',
    }),
    password('delete-password', 'Current password', 'current-password'),
    deleteError,
    deleteSubmit,
  );

  const close = h('button', { type: 'button', id: 'account-close', text: 'Close' });
  const dialog = h(
    'dialog',
    { class: 'account-dialog', id: 'account-dialog', 'aria-label': 'Account' },
    h('h2', { id: 'account-title' }),
    passwdForm,
    deleteForm,
    close,
  );
  const value = (id) => dialog.querySelector(`#${id}`).value;
  let confirming = false;
  const reset = () => {
    confirming = false;
    deleteSubmit.textContent = 'Delete my account';
    for (const input of dialog.querySelectorAll('input')) {
      input.value = '';
    }
    passwdError.textContent = '';
    deleteError.textContent = '';
  };
  close.addEventListener('click', () => dialog.close());

  passwdForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const next = value('passwd-new');
    const problem =
      (value('passwd-current') === '' ? 'Enter your current password.' : null) ??
      passwordProblem(next) ??
      (value('passwd-repeat') !== next ? 'The two new passwords differ.' : null);
    if (problem) {
      passwdError.textContent = problem;
      return;
    }
    passwdError.textContent = 'Changing…';
    try {
      await account.changePassword(value('passwd-current'), next);
      dialog.close();
      state.setNotice('Your password is changed. Other windows and devices log in with it now.');
    } catch (err) {
      passwdError.textContent = accountError(err);
    }
  });

  deleteForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (value('delete-password') === '') {
      deleteError.textContent = 'Enter your current password.';
      return;
    }
    if (!confirming) {
      confirming = true;
      deleteError.textContent = 'This cannot be undone. Press the button again to delete.';
      deleteSubmit.textContent = 'Yes, delete it for good';
      return;
    }
    deleteError.textContent = 'Deleting…';
    try {
      await account.deleteAccount(value('delete-password'));
    } catch (err) {
      confirming = false;
      deleteSubmit.textContent = 'Delete my account';
      deleteError.textContent = accountError(err);
    }
  });

  const button = h('button', { type: 'button', id: 'account-button', text: 'Account' });
  button.addEventListener('click', () => {
    reset();
    dialog.querySelector('#account-title').textContent = `Account: ${state.me?.userName ?? ''}`;
    dialog.showModal();
  });
  return { button, dialog };
}
