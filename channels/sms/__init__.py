"""SMS through Twilio: a signed webhook answered synchronously with TwiML.

The channel class is channels.sms.channel.SmsInput (credentials.yml). Phone
numbers never leave the request: the conversation is kept under a keyed hash
of the number (sender_ids.py), and opt-outs are stored by that hash only.
"""
