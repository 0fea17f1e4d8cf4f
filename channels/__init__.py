"""Input channels beyond Rasa's REST: the website widget and SMS (Twilio)."""
