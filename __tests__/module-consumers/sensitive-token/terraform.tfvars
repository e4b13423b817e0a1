mixpanel_token = "0123456789abcdef0123456789abcdef"
analytics_projects = [
  { token = "fedcba9876543210fedcba9876543210" },
  { token = "00112233445566778899aabbccddeeff" },
]
