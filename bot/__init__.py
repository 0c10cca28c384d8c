"""Gongkai (公开): a chatbot for a Chinese government bureau's information-disclosure work."""
