"""SMS through Twilio: a signed webhook answered synchronously with TwiML.

The channel class is channels.sms.channel.SmsInput (credentials.yml). A
message walks through two modules, and the second calls on the other two:
- channel.py: the webhook: its settings, the signature check, the form's
  fields, the sender id; it hands the message to
- handling.py: what it is answered: the safety check first, the keywords
  (CALL among them), the menu numbers, the opt-outs, the assistant; once per
  MessageSid;
- rendering.py: the replies as SMS text and TwiML, and the channel's notices;
- optouts.py: who asked not to be texted.
Phone numbers never reach the assistant: the conversation is kept under a
keyed hash of the number (channel.sender_id), and opt-outs are stored by that
hash only. The one place a number goes is the call-back queue
(storage/callbacks.py, encrypted), when the person texts CALL.
"""
