window.YTD.account.part0 = [
  {
    "account": {
      "email": "social@brightmart.example",
      "createdVia": "web",
      "username": "brightmart",
      "accountId": "1234567890",
      "createdAt": "2019-03-01T10:00:00.000Z",
      "accountDisplayName": "BrightMart"
    }
  }
]
