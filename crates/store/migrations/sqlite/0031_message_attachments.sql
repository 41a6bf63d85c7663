-- Files sent with a message (a CV, a certificate), kept with it in the database: personal
-- data, exported and erased with the person like the message.
CREATE TABLE message_attachments (
    id INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL REFERENCES messages(id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    content BLOB NOT NULL
);
CREATE INDEX message_attachments_message ON message_attachments(message_id);
