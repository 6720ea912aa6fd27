// A certified OpenID provider (the npm package oidc-provider) on loopback for Keelson's browser
// test. It serves one confidential client, Keelson, with the authorization code flow and PKCE,
// and one person. Sign-in and consent use the package's own interaction pages. Those pages
// accept the configured login only: findAccount knows no one else.
//
// Configured by environment variables: KEELSON_URL (where Keelson is served), CLIENT_ID,
// CLIENT_SECRET, USER_LOGIN, USER_EMAIL, USER_NAME. It listens on a free port of 127.0.0.1 and
// prints {"issuer": "..."} as one line on stdout once it accepts connections.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import Provider from 'oidc-provider';

function need(name) {
  const v = process.env[name];
  if (!v) {
    console.error(`oidc-provider: ${name} is not set`);
    process.exit(2);
  }
  return v;
}

const keelson = need('KEELSON_URL');
const user = {
  login: need('USER_LOGIN'),
  email: need('USER_EMAIL'),
  name: need('USER_NAME'),
};

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: need('CLIENT_ID'),
      client_secret: need('CLIENT_SECRET'),
      redirect_uris: [`${keelson}/auth/callback`],
      post_logout_redirect_uris: [`${keelson}/auth/signed-out`],
      response_types: ['code'],
      grant_types: ['authorization_code'],
    }],
    pkce: { required: () => true },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    // Keelson reads the person from the ID token, so the scopes' claims go into it.
    conformIdTokenClaims: false,
    cookies: { keys: [randomBytes(32).toString('hex')] },
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: true },
    },
    async findAccount(ctx, id) {
      if (id !== user.login) {
        return undefined;
      }
      return {
        accountId: id,
        async claims() {
          return { sub: id, email: user.email, email_verified: true, name: user.name };
        },
      };
    },
  });
  provider.on('server_error', (ctx, err) => console.error('oidc-provider: server error:', err));
  server.on('request', provider.callback());
  console.log(JSON.stringify({ issuer }));
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
