// One of a machine's accounts asked for a single connection (F4 LAN, F5 credentials at each
// connection): the password field is emptied the moment the form is sent or cancelled, so the page
// keeps it no longer than the one request; the form closes once that request succeeds.
export function mountCredentialsForm(form, { connect }) {
  const [username, password] = form.querySelectorAll('input');
  const caption = form.querySelector('p');
  const submit = form.querySelector('button[type="submit"]');

  function close() {
    password.value = '';
    form.hidden = true;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const credentials = { username: username.value.trim(), password: password.value };
    password.value = '';
    submit.disabled = true;
    try {
      if (await connect(credentials)) close();
    } finally {
      submit.disabled = false;
    }
  });
  form.querySelector('button[type="button"]').addEventListener('click', close);

  return {
    ask(text) {
      caption.textContent = text;
      form.hidden = false;
      username.focus();
    },
    close,
  };
}
