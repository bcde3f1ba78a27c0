// The entry point of the web client: defining crm-app pulls in every screen it routes to.
import './components/crm-app.ts'
