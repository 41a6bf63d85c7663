-- Sign-in codes may go by text message through an HTTP gateway: the outbox says which way.
ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'email';
